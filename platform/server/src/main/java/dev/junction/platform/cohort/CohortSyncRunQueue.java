package dev.junction.platform.cohort;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.jobs.RunClaim;
import dev.junction.platform.jobs.RunQueue;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The work queue of cohort sync runs across tenants and replicas: the one place that reads runs
 * without a tenant, because workers serve every tenant. Claiming uses row locks
 * ({@code FOR UPDATE SKIP LOCKED}) and a unique index that allows one running run per sync, so two
 * replicas never run the same sync at once; heartbeats let another replica take over the run of a
 * replica that died.
 */
@Singleton
class CohortSyncRunQueue extends RunQueue<CohortSyncRunQueue.Claim> {

    CohortSyncRunQueue(Jdbc jdbc) {
        super(jdbc, "cohort_sync_run", "counts");
    }

    /** A claimed run: its tenant, ids and attempt. */
    record Claim(TenantId tenant, UUID runId, UUID syncId, String worker, int attempt) implements RunClaim { }

    /**
     * Marks the oldest runnable queued run as running by {@code worker}, unless its sync already has
     * a running run; empty when there is nothing to do. A concurrent claim of another run of the
     * same sync fails on the unique index (the caller treats that as nothing claimed).
     */
    @Override
    public Optional<Claim> claim(String worker, Instant now) {
        return jdbc.one("""
                UPDATE cohort_sync_run SET status = 'running', claimed_by = ?, heartbeat_at = ?, attempt = attempt + 1,
                       started_at = coalesce(started_at, ?), error = NULL
                WHERE (tenant_id, id) = (
                    SELECT r.tenant_id, r.id FROM cohort_sync_run r
                    WHERE r.status = 'queued' AND r.not_before <= ?
                      AND NOT EXISTS (SELECT 1 FROM cohort_sync_run x WHERE x.sync_id = r.sync_id AND x.status = 'running')
                    ORDER BY r.created_at FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING tenant_id, id, sync_id, attempt""",
                rs -> new Claim(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        worker, rs.getInt(4)), worker, now, now, now);
    }

    /** Syncs whose next scheduled run is due, locked for the caller's transaction (other replicas skip them). */
    List<Object[]> lockDue(Instant now, int limit) {
        return jdbc.list("SELECT tenant_id, id, cadence FROM cohort_sync WHERE next_run_at <= ? ORDER BY next_run_at "
                        + "FOR UPDATE SKIP LOCKED LIMIT ?",
                rs -> new Object[]{new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class), rs.getString(3)}, now, limit);
    }
}
