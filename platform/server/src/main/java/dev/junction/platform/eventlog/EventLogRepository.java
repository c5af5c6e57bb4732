package dev.junction.platform.eventlog;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenant.TenantId;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Event log rows, always of one tenant. Batches are written with one statement over arrays
 * ({@code unnest}), which keeps a 1,000-event webhook batch to a single round trip.
 */
@Singleton
class EventLogRepository {

    private static final String COLUMNS = "tenant_id, id, recorded_at, installation_id, direction, kind, name, status, "
            + "http_status, occurred_at, user_id, dedupe_key, payload::text AS payload";

    private final Jdbc jdbc;

    EventLogRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the events as one batch; returns how many rows were written. */
    int insert(TenantId tenant, UUID batchId, Instant recordedAt, List<NewEvent> events) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO event_log (tenant_id, recorded_at, batch_id, installation_id, direction, kind, name, status,
                                           http_status, occurred_at, user_id, dedupe_key, payload)
                    SELECT ?, ?, ?, e.installation_id, e.direction, e.kind, e.name, e.status, e.http_status, e.occurred_at,
                           e.user_id, e.dedupe_key, e.payload::jsonb
                    FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::text[],
                                ?::text[], ?::text[])
                         AS e(installation_id, direction, kind, name, status, http_status, occurred_at, user_id, dedupe_key, payload)""")) {
                bindBatch(c, ps, tenant, batchId, recordedAt, events);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Stores webhook events of an installation, each dedupe key at most once ever (within the
     * dedupe window): keys already seen are skipped. Returns how many events were new.
     */
    int insertDeduplicated(TenantId tenant, UUID installation, UUID batchId, Instant recordedAt, List<NewEvent> events) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH e AS (
                        SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[],
                                             ?::text[], ?::text[], ?::text[])
                             AS e(installation_id, direction, kind, name, status, http_status, occurred_at, user_id, dedupe_key, payload)
                    ), fresh AS (
                        INSERT INTO webhook_dedupe (tenant_id, installation_id, dedupe_key, received_at)
                        SELECT ?, ?, e.dedupe_key, ? FROM e
                        ON CONFLICT DO NOTHING
                        RETURNING dedupe_key
                    )
                    INSERT INTO event_log (tenant_id, recorded_at, batch_id, installation_id, direction, kind, name, status,
                                           http_status, occurred_at, user_id, dedupe_key, payload)
                    SELECT ?, ?, ?, e.installation_id, e.direction, e.kind, e.name, e.status, e.http_status, e.occurred_at,
                           e.user_id, e.dedupe_key, e.payload::jsonb
                    FROM e JOIN fresh ON fresh.dedupe_key = e.dedupe_key""")) {
                int i = bindArrays(c, ps, 1, events);
                ps.setObject(i++, tenant.value());
                ps.setObject(i++, installation);
                ps.setTimestamp(i++, Timestamp.from(recordedAt));
                ps.setObject(i++, tenant.value());
                ps.setTimestamp(i++, Timestamp.from(recordedAt));
                ps.setObject(i, batchId);
                return ps.executeUpdate();
            }
        });
    }

    private static void bindBatch(Connection c, PreparedStatement ps, TenantId tenant, UUID batchId, Instant recordedAt,
                                  List<NewEvent> events) throws SQLException {
        ps.setObject(1, tenant.value());
        ps.setTimestamp(2, Timestamp.from(recordedAt));
        ps.setObject(3, batchId);
        bindArrays(c, ps, 4, events);
    }

    /** Binds the ten column arrays from {@code start}; returns the next parameter index. */
    private static int bindArrays(Connection c, PreparedStatement ps, int start, List<NewEvent> events) throws SQLException {
        int n = events.size();
        Object[] installation = new Object[n];
        Object[] direction = new Object[n];
        Object[] kind = new Object[n];
        Object[] name = new Object[n];
        Object[] status = new Object[n];
        Object[] http = new Object[n];
        Object[] occurred = new Object[n];
        Object[] user = new Object[n];
        Object[] dedupe = new Object[n];
        Object[] payload = new Object[n];
        for (int k = 0; k < n; k++) {
            NewEvent e = events.get(k);
            installation[k] = e.installationId();
            direction[k] = e.direction().wireName();
            kind[k] = e.kind();
            name[k] = e.name();
            status[k] = e.status();
            http[k] = e.httpStatus();
            occurred[k] = e.occurredAt() == null ? null : Timestamp.from(e.occurredAt());
            user[k] = e.userId();
            dedupe[k] = e.dedupeKey();
            payload[k] = e.payloadJson();
        }
        int i = start;
        ps.setArray(i++, c.createArrayOf("uuid", installation));
        ps.setArray(i++, c.createArrayOf("text", direction));
        ps.setArray(i++, c.createArrayOf("text", kind));
        ps.setArray(i++, c.createArrayOf("text", name));
        ps.setArray(i++, c.createArrayOf("text", status));
        ps.setArray(i++, c.createArrayOf("int4", http));
        ps.setArray(i++, c.createArrayOf("timestamptz", occurred));
        ps.setArray(i++, c.createArrayOf("text", user));
        ps.setArray(i++, c.createArrayOf("text", dedupe));
        ps.setArray(i++, c.createArrayOf("text", payload));
        return i;
    }

    /** Newest first, strictly before {@code before} when given. */
    List<EventRecord> query(TenantId tenant, EventQuery f, EventId before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM event_log WHERE tenant_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(tenant.value());
        if (f.since() != null) {
            sql.append(" AND recorded_at >= ?");
            params.add(f.since());
        }
        if (f.until() != null) {
            sql.append(" AND recorded_at < ?");
            params.add(f.until());
        }
        if (f.installationId() != null) {
            sql.append(" AND installation_id = ?");
            params.add(f.installationId());
        }
        if (f.direction() != null) {
            sql.append(" AND direction = ?");
            params.add(f.direction());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            params.add(f.status());
        }
        if (f.name() != null) {
            sql.append(" AND name = ?");
            params.add(f.name());
        }
        if (f.q() != null) {
            sql.append(" AND (user_id = ? OR dedupe_key = ? OR name ILIKE ?)");
            params.add(f.q());
            params.add(f.q());
            params.add("%" + f.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (before != null) {
            sql.append(" AND (recorded_at, id) < (?, ?)");
            params.add(before.recordedAt());
            params.add(before.seq());
        }
        sql.append(" ORDER BY recorded_at DESC, id DESC LIMIT ?");
        params.add(limit);
        return jdbc.list(sql.toString(), EventLogRepository::map, params.toArray());
    }

    Optional<EventRecord> find(TenantId tenant, EventId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM event_log WHERE tenant_id = ? AND recorded_at = ? AND id = ?",
                EventLogRepository::map, tenant.value(), id.recordedAt(), id.seq());
    }

    /** The rows one transaction wrote, in order. */
    List<EventRecord> batch(TenantId tenant, UUID batchId) {
        return jdbc.list("SELECT " + COLUMNS + " FROM event_log WHERE tenant_id = ? AND batch_id = ? ORDER BY id",
                EventLogRepository::map, tenant.value(), batchId);
    }

    /** Rows recorded at or after {@code from}, oldest first (live tail resume). */
    List<EventRecord> since(TenantId tenant, Instant from, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM event_log WHERE tenant_id = ? AND recorded_at >= ? "
                + "ORDER BY recorded_at, id LIMIT ?", EventLogRepository::map, tenant.value(), from, limit);
    }

    /** Deletes the tenant's entries recorded before {@code cutoff}, at most {@code limit} of them. */
    int deleteOlderThan(TenantId tenant, Instant cutoff, int limit) {
        return jdbc.update("DELETE FROM event_log WHERE (tenant_id, recorded_at, id) IN (SELECT tenant_id, recorded_at, id "
                + "FROM event_log WHERE tenant_id = ? AND recorded_at < ? LIMIT ?)", tenant.value(), cutoff, limit);
    }

    /** Deletes every entry and dedupe key of the tenant (tenant deletion). */
    void deleteAll(TenantId tenant) {
        jdbc.update("DELETE FROM event_log WHERE tenant_id = ?", tenant.value());
        jdbc.update("DELETE FROM webhook_dedupe WHERE tenant_id = ?", tenant.value());
    }

    private static EventRecord map(ResultSet rs) throws SQLException {
        int http = rs.getInt("http_status");
        Integer httpStatus = rs.wasNull() ? null : http;
        return new EventRecord(new TenantId(rs.getObject("tenant_id", UUID.class)), rs.getLong("id"),
                Jdbc.instant(rs, "recorded_at"), rs.getObject("installation_id", UUID.class), rs.getString("direction"),
                rs.getString("kind"), rs.getString("name"), rs.getString("status"), httpStatus,
                Jdbc.instant(rs, "occurred_at"), rs.getString("user_id"), rs.getString("dedupe_key"),
                rs.getString("payload"));
    }
}
