package dev.junction.platform.objectsync;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs of installations' object syncs, of one tenant. The writes of a running run (progress,
 * finish, requeue) go through {@link ObjectSyncQueue}, fenced by the attempt that claimed it.
 */
@Singleton
class ObjectSyncRunRepository {

    private static final String COLUMNS = "tenant_id, id, installation_id, status, trigger, attempt, collections::text AS collections, "
            + "error, created_at, started_at, finished_at";

    private final Jdbc jdbc;

    ObjectSyncRunRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Queues a run unless the installation already has a queued or running one; whether it was queued. */
    boolean insertQueued(TenantId tenant, UUID id, UUID installation, String trigger, Instant now) {
        return jdbc.update("INSERT INTO object_sync_run (tenant_id, id, installation_id, status, trigger, not_before, created_at) "
                + "VALUES (?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT DO NOTHING", tenant.value(), id, installation, trigger, now, now) == 1;
    }

    /** The installation's queued or running run, locked for the caller's transaction. */
    Optional<ObjectSyncRun> findActiveForUpdate(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT " + COLUMNS + " FROM object_sync_run WHERE tenant_id = ? AND installation_id = ? "
                + "AND status IN ('queued', 'running') FOR UPDATE", ObjectSyncRunRepository::map, tenant.value(), installation);
    }

    Optional<ObjectSyncRun> find(TenantId tenant, UUID installation, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM object_sync_run WHERE tenant_id = ? AND installation_id = ? AND id = ?",
                ObjectSyncRunRepository::map, tenant.value(), installation, id);
    }

    /** Newest first, keyset by (created_at, id) below the given pair (null: from the newest). */
    List<ObjectSyncRun> list(TenantId tenant, UUID installation, @Nullable Instant beforeCreated, @Nullable UUID beforeId, int limit) {
        if (beforeCreated == null) {
            return jdbc.list("SELECT " + COLUMNS + " FROM object_sync_run WHERE tenant_id = ? AND installation_id = ? "
                    + "ORDER BY created_at DESC, id DESC LIMIT ?", ObjectSyncRunRepository::map, tenant.value(), installation, limit);
        }
        return jdbc.list("SELECT " + COLUMNS + " FROM object_sync_run WHERE tenant_id = ? AND installation_id = ? "
                        + "AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?",
                ObjectSyncRunRepository::map, tenant.value(), installation, beforeCreated, beforeId, limit);
    }

    /** When the installation's last run succeeded. */
    Optional<Instant> lastSucceeded(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT max(finished_at) AS last FROM object_sync_run WHERE tenant_id = ? AND installation_id = ? AND status = 'succeeded'",
                rs -> Optional.ofNullable(Jdbc.instant(rs, "last")), tenant.value(), installation).flatMap(last -> last);
    }

    static ObjectSyncRun map(ResultSet rs) throws SQLException {
        return new ObjectSyncRun(new TenantId(rs.getObject("tenant_id", UUID.class)), rs.getObject("id", UUID.class),
                rs.getObject("installation_id", UUID.class), rs.getString("status"), rs.getString("trigger"), rs.getInt("attempt"),
                rs.getString("collections"), rs.getString("error"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"));
    }
}
