package dev.junction.platform.architecture.ownershipfixture.objectsync;

/** A deliberate violation for TableOwnershipTest: object sync reading the cohort feature's table. */
final class PeekingRepository {
    static final String LAST_RUN = """
            SELECT max(finished_at) FROM cohort_sync_run
            WHERE tenant_id = ?""";
    /** Not SQL: words that merely follow "from" are no table. */
    static final String NOTE = "copied from object_syncs";

    private PeekingRepository() {
    }
}
