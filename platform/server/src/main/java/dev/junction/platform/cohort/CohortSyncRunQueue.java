package dev.junction.platform.cohort;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.jobs.RunClaim;
import dev.junction.platform.jobs.RunQueue;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The work queue of cohort sync runs across tenants and replicas (the life cycle is
 * {@link RunQueue}'s). A run is claimable while its sync has no running run, and a unique index
 * allows one running run per sync, so two replicas never run the same sync at once.
 */
@Singleton
class CohortSyncRunQueue extends RunQueue<CohortSyncRunQueue.Claim> {

    CohortSyncRunQueue(Jdbc jdbc) {
        super(jdbc, new RunTable("cohort_sync_run", "counts", "sync_id",
                "NOT EXISTS (SELECT 1 FROM cohort_sync_run x WHERE x.sync_id = r.sync_id AND x.status = 'running')",
                "created_at", true), Claim::new);
    }

    /** A claimed run: its tenant, ids and attempt. */
    record Claim(TenantId tenant, UUID runId, UUID syncId, String worker, int attempt) implements RunClaim { }

    /** Syncs whose next scheduled run is due, locked for the caller's transaction (other replicas skip them). */
    List<Object[]> lockDue(Instant now, int limit) {
        return jdbc.list("SELECT tenant_id, id, cadence FROM cohort_sync WHERE next_run_at <= ? ORDER BY next_run_at "
                        + "FOR UPDATE SKIP LOCKED LIMIT ?",
                rs -> new Object[]{new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class), rs.getString(3)}, now, limit);
    }
}
