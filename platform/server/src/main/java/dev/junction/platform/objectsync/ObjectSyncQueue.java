package dev.junction.platform.objectsync;

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
 * The work queue of object sync runs across tenants and replicas: the one place that reads runs
 * without a tenant, because workers serve every tenant. A run is claimed under a row lock that
 * other replicas skip ({@code FOR UPDATE SKIP LOCKED}); an installation never has more than one
 * queued-or-running run (unique index), so it is never synced twice at once; heartbeats let
 * another replica resume the run of a replica that died.
 */
@Singleton
class ObjectSyncQueue extends RunQueue<ObjectSyncQueue.Claim> {

    ObjectSyncQueue(Jdbc jdbc) {
        super(jdbc, "object_sync_run", "collections");
    }

    /** A claimed run: its tenant, ids and attempt number (1 for the first). */
    record Claim(TenantId tenant, UUID runId, UUID installationId, String worker, int attempt) implements RunClaim { }

    /** Marks the oldest runnable queued run as running by {@code worker}; empty when there is none. */
    @Override
    public Optional<Claim> claim(String worker, Instant now) {
        return jdbc.one("""
                UPDATE object_sync_run SET status = 'running', claimed_by = ?, heartbeat_at = ?, attempt = attempt + 1,
                       started_at = coalesce(started_at, ?)
                WHERE (tenant_id, id) = (
                    SELECT r.tenant_id, r.id FROM object_sync_run r
                    WHERE r.status = 'queued' AND r.not_before <= ?
                    ORDER BY r.not_before FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING tenant_id, id, installation_id, attempt""",
                rs -> new Claim(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        worker, rs.getInt(4)), worker, now, now, now);
    }

    /** An installation whose scheduled run is due. */
    record Due(TenantId tenant, UUID installationId, Integer intervalSeconds) { }

    /** Installations whose next run is due, locked for the caller's transaction (other replicas skip them). */
    List<Due> lockDue(Instant now, int limit) {
        return jdbc.list("SELECT tenant_id, installation_id, interval_seconds FROM object_sync WHERE next_run_at <= ? "
                        + "ORDER BY next_run_at FOR UPDATE SKIP LOCKED LIMIT ?",
                rs -> new Due(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class),
                        (Integer) rs.getObject(3)), now, limit);
    }
}
