package dev.junction.platform.architecture.ownershipfixture.cohort;

/** A deliberate fixture for TableOwnershipTest: a feature reading its own table is fine. */
final class OwnRepository {
    static final String RUNS = "SELECT id FROM cohort_sync_run WHERE tenant_id = ?";

    private OwnRepository() {
    }
}
