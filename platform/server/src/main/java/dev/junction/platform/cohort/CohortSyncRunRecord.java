package dev.junction.platform.cohort;

import dev.junction.platform.tenancy.TenantId;

import java.time.Instant;
import java.util.UUID;

/**
 * One run of a sync.
 *
 * @param status     queued, running, succeeded, partially_succeeded or failed
 * @param trigger    manual or scheduled
 * @param countsJson {@link RunCounts} as JSON
 * @param vendorJobs vendor job id to its latest state and details, as JSON
 */
record CohortSyncRunRecord(TenantId tenantId, UUID id, UUID syncId, String status, String trigger, int attempt,
                      String countsJson, String vendorJobs, String error, Instant createdAt, Instant startedAt,
                      Instant finishedAt) {

    /** Whether the run has ended. */
    public boolean finished() {
        return status.equals("succeeded") || status.equals("partially_succeeded") || status.equals("failed");
    }
}
