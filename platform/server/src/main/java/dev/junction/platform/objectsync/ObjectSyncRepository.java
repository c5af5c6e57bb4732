package dev.junction.platform.objectsync;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Object sync settings of installations and the collections created for them, of one tenant. */
@Singleton
class ObjectSyncRepository {

    private static final String COLUMNS = "tenant_id, installation_id, schema_name, interval_seconds, events_table, "
            + "next_run_at, created_at, updated_at";
    private static final TypeReference<List<Map<String, String>>> COLUMN_LIST = new TypeReference<>() { };

    private final Jdbc jdbc;

    ObjectSyncRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TenantId tenant, ObjectSyncSettings s) {
        jdbc.update("INSERT INTO object_sync (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tenant.value(), s.installationId(),
                s.schemaName(), s.interval().seconds(), s.eventsTable(), s.nextRunAt(), s.createdAt(), s.updatedAt());
    }

    Optional<ObjectSyncSettings> find(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT " + COLUMNS + " FROM object_sync WHERE tenant_id = ? AND installation_id = ?",
                ObjectSyncRepository::map, tenant.value(), installation);
    }

    /** Locks the row until the transaction ends: schema changes of one installation serialise, and deleting it waits. */
    Optional<ObjectSyncSettings> findForUpdate(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT " + COLUMNS + " FROM object_sync WHERE tenant_id = ? AND installation_id = ? FOR UPDATE",
                ObjectSyncRepository::map, tenant.value(), installation);
    }

    /** Keeps the row (and so the schema) from being deleted until the transaction ends. */
    Optional<ObjectSyncSettings> findForShare(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT " + COLUMNS + " FROM object_sync WHERE tenant_id = ? AND installation_id = ? FOR SHARE",
                ObjectSyncRepository::map, tenant.value(), installation);
    }

    void updateSchedule(TenantId tenant, UUID installation, SyncInterval interval, @Nullable Instant nextRunAt, Instant now) {
        jdbc.update("UPDATE object_sync SET interval_seconds = ?, next_run_at = ?, updated_at = ? WHERE tenant_id = ? AND installation_id = ?",
                interval.seconds(), nextRunAt, now, tenant.value(), installation);
    }

    void setNextRun(TenantId tenant, UUID installation, @Nullable Instant nextRunAt) {
        jdbc.update("UPDATE object_sync SET next_run_at = ? WHERE tenant_id = ? AND installation_id = ?",
                nextRunAt, tenant.value(), installation);
    }

    void setEventsTable(TenantId tenant, UUID installation) {
        jdbc.update("UPDATE object_sync SET events_table = true WHERE tenant_id = ? AND installation_id = ? AND NOT events_table",
                tenant.value(), installation);
    }

    /** Records a collection's table as created or migrated to {@code table}'s columns. */
    void putCollection(TenantId tenant, UUID installation, CollectionTable table) {
        jdbc.update("INSERT INTO object_sync_collection (tenant_id, installation_id, name, key_column, columns) VALUES (?, ?, ?, ?, ?::jsonb) "
                        + "ON CONFLICT (tenant_id, installation_id, name) DO UPDATE SET key_column = EXCLUDED.key_column, columns = EXCLUDED.columns",
                tenant.value(), installation, table.name(), table.keyColumn(), PlatformJson.write(table.columnsView()));
    }

    /** Stores a collection's exact counts at the end of a pass; {@code completeAt} only for a complete pass. */
    void recordCounts(TenantId tenant, UUID installation, String name, CollectionTables.Counts counts, Instant at,
                      boolean complete) {
        jdbc.update("UPDATE object_sync_collection SET row_count = ?, deleted_count = ?, counted_at = ?, last_synced_at = ?, "
                        + "last_complete_at = CASE WHEN ? THEN ? ELSE last_complete_at END "
                        + "WHERE tenant_id = ? AND installation_id = ? AND name = ?",
                counts.rows(), counts.deleted(), at, at, complete, at, tenant.value(), installation, name);
    }

    /** A collection as recorded. */
    record StoredCollection(CollectionTable table, long rowCount, long deletedCount, @Nullable Instant countedAt,
                            @Nullable Instant lastSyncedAt, @Nullable Instant lastCompleteAt) { }

    List<StoredCollection> collections(TenantId tenant, UUID installation) {
        return jdbc.list("SELECT " + COLLECTION_COLUMNS + " FROM object_sync_collection WHERE tenant_id = ? AND installation_id = ? "
                + "ORDER BY name", ObjectSyncRepository::mapCollection, tenant.value(), installation);
    }

    Optional<StoredCollection> collection(TenantId tenant, UUID installation, String name) {
        return jdbc.one("SELECT " + COLLECTION_COLUMNS + " FROM object_sync_collection WHERE tenant_id = ? AND installation_id = ? "
                + "AND name = ?", ObjectSyncRepository::mapCollection, tenant.value(), installation, name);
    }

    private static final String COLLECTION_COLUMNS = "name, key_column, columns::text AS columns, row_count, deleted_count, "
            + "counted_at, last_synced_at, last_complete_at";

    private static StoredCollection mapCollection(ResultSet rs) throws SQLException {
        List<Map<String, String>> columns;
        try {
            columns = PlatformJson.MAPPER.readValue(rs.getString("columns"), COLUMN_LIST);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable columns of collection " + rs.getString("name"), e);
        }
        return new StoredCollection(new CollectionTable(rs.getString("name"), rs.getString("key_column"), CollectionTable.columnsOf(columns)),
                rs.getLong("row_count"), rs.getLong("deleted_count"), Jdbc.instant(rs, "counted_at"),
                Jdbc.instant(rs, "last_synced_at"), Jdbc.instant(rs, "last_complete_at"));
    }

    private static ObjectSyncSettings map(ResultSet rs) throws SQLException {
        Object seconds = rs.getObject("interval_seconds");
        return new ObjectSyncSettings(new TenantId(rs.getObject("tenant_id", UUID.class)), rs.getObject("installation_id", UUID.class),
                rs.getString("schema_name"), SyncInterval.ofSeconds(seconds == null ? null : ((Number) seconds).intValue()),
                rs.getBoolean("events_table"), Jdbc.instant(rs, "next_run_at"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }
}
