package dev.junction.platform.objectsync;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.jobs.RunClaim;
import dev.junction.platform.jobs.RunQueue;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The work queue of object sync runs across tenants and replicas (the life cycle is
 * {@link RunQueue}'s). An installation never has more than one queued-or-running run (unique
 * index), so it is never synced twice at once.
 */
@Singleton
class ObjectSyncQueue extends RunQueue<ObjectSyncQueue.Claim> {

    ObjectSyncQueue(Jdbc jdbc) {
        super(jdbc, new RunTable("object_sync_run", "collections", "installation_id", "", "not_before", false), Claim::new);
    }

    /** A claimed run: its tenant, ids and attempt number (1 for the first). */
    record Claim(TenantId tenant, UUID runId, UUID installationId, String worker, int attempt) implements RunClaim { }

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
