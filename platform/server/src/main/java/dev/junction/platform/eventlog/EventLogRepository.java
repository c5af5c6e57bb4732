package dev.junction.platform.eventlog;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    /** Up to this many names containing q are searched one by one; more, and q is matched while walking time. */
    static final int MAX_NAME_BRANCHES = 20;

    /** The rows of {@link #rowsJson}, as a relation {@code e}. */
    private static final String ROWS = "jsonb_to_recordset(?::jsonb) AS e(installation_id uuid, direction text, kind text, "
            + "name text, status text, http_status int, occurred_at timestamptz, user_id text, dedupe_key text, payload jsonb)";
    private static final JsonFactory JSON = new JsonFactory();

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
                           e.user_id, e.dedupe_key, e.payload
                    FROM\s""" + ROWS)) {
                ps.setObject(1, tenant.value());
                ps.setTimestamp(2, Timestamp.from(recordedAt));
                ps.setObject(3, batchId);
                ps.setString(4, rowsJson(events));
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
                    WITH e AS MATERIALIZED (
                        SELECT * FROM\s""" + ROWS + """
                    ), fresh AS (
                        INSERT INTO webhook_dedupe (tenant_id, installation_id, dedupe_key, received_at)
                        SELECT ?, ?, e.dedupe_key, ? FROM e
                        ON CONFLICT DO NOTHING
                        RETURNING dedupe_key
                    )
                    INSERT INTO event_log (tenant_id, recorded_at, batch_id, installation_id, direction, kind, name, status,
                                           http_status, occurred_at, user_id, dedupe_key, payload)
                    SELECT ?, ?, ?, e.installation_id, e.direction, e.kind, e.name, e.status, e.http_status, e.occurred_at,
                           e.user_id, e.dedupe_key, e.payload
                    FROM e JOIN fresh ON fresh.dedupe_key = e.dedupe_key""")) {
                ps.setString(1, rowsJson(events));
                int i = 2;
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

    /**
     * The batch's rows as one JSON array, read in SQL by {@link #ROWS}. One document instead of ten
     * text arrays: the driver escaped every character of every payload into its array literal
     * (a quarter of the server's CPU at 4 webhook senders, measured with a flight recording), and
     * PostgreSQL then parsed each payload a second time as jsonb. Payloads go in as they are.
     */
    static String rowsJson(List<NewEvent> events) {
        StringWriter out = new StringWriter(events.size() * 600);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (NewEvent e : events) {
                g.writeStartObject();
                if (e.installationId() != null) {
                    g.writeStringField("installation_id", e.installationId().toString());
                }
                g.writeStringField("direction", e.direction().wireName());
                g.writeStringField("kind", e.kind());
                g.writeStringField("name", e.name());
                g.writeStringField("status", e.status());
                if (e.httpStatus() != null) {
                    g.writeNumberField("http_status", e.httpStatus());
                }
                if (e.occurredAt() != null) {
                    g.writeStringField("occurred_at", e.occurredAt().toString());
                }
                if (e.userId() != null) {
                    g.writeStringField("user_id", e.userId());
                }
                if (e.dedupeKey() != null) {
                    g.writeStringField("dedupe_key", e.dedupeKey());
                }
                g.writeFieldName("payload");
                g.writeRawValue(e.payloadJson());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Newest first, strictly before {@code before} when given. Without {@code q} this walks the
     * partitions' time-ordered indexes (by installation or name when those are filtered). With
     * {@code q} it is the union of three index-driven searches, each one page long: the user id,
     * the dedupe key, and the whole names that contain q (found by {@link #namesContaining}).
     */
    List<EventRecord> query(TenantId tenant, EventQuery f, EventId before, int limit) {
        StringBuilder where = new StringBuilder("tenant_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(tenant.value());
        if (f.since() != null) {
            where.append(" AND recorded_at >= ?");
            params.add(f.since());
        }
        if (f.until() != null) {
            where.append(" AND recorded_at < ?");
            params.add(f.until());
        }
        if (f.installationId() != null) {
            where.append(" AND installation_id = ?");
            params.add(f.installationId());
        }
        if (f.direction() != null) {
            where.append(" AND direction = ?");
            params.add(f.direction());
        }
        if (f.status() != null) {
            where.append(" AND status = ?");
            params.add(f.status());
        }
        if (f.name() != null) {
            where.append(" AND name = ?");
            params.add(f.name());
        }
        if (before != null) {
            where.append(" AND (recorded_at, id) < (?, ?)");
            params.add(before.recordedAt());
            params.add(before.seq());
        }
        String order = " ORDER BY recorded_at DESC, id DESC LIMIT ?";
        if (f.q() == null) {
            params.add(limit);
            return jdbc.list("SELECT " + COLUMNS + " FROM event_log WHERE " + where + order, EventLogRepository::map,
                    params.toArray());
        }
        List<String> branches = new ArrayList<>(List.of("user_id = ?", "dedupe_key = ?"));
        List<Object> branchValues = new ArrayList<>(List.of(f.q(), f.q()));
        List<String> names = namesContaining(tenant, f.q(), MAX_NAME_BRANCHES + 1);
        if (names.size() > MAX_NAME_BRANCHES) {
            // q is in most names (say "sendgrid"): most rows match, and walking time finds a page at once
            branches.add("name ILIKE ?");
            branchValues.add(containsPattern(f.q()));
        } else {
            // one ordered index scan per name: PostgreSQL 15 cannot merge "name = ANY(...)" in index order
            for (String name : names) {
                branches.add("name = ?");
                branchValues.add(name);
            }
        }
        StringBuilder sql = new StringBuilder("SELECT DISTINCT ON (recorded_at, id) * FROM (");
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            sql.append(i == 0 ? "" : " UNION ALL ").append("(SELECT ").append(COLUMNS).append(" FROM event_log WHERE ")
                    .append(where).append(" AND ").append(branches.get(i)).append(order).append(')');
            all.addAll(params);
            all.add(branchValues.get(i));
            all.add(limit);
        }
        sql.append(") AS found").append(order);
        all.add(limit);
        return jdbc.list(sql.toString(), EventLogRepository::map, all.toArray());
    }

    /**
     * The tenant's distinct event names that contain {@code part} (case-insensitive). Names are few
     * (event types, connector calls), so a skip scan of the name index, one probe per name and
     * partition, finds them without reading the rows.
     */
    List<String> namesContaining(TenantId tenant, String part, int max) {
        return jdbc.list("""
                WITH RECURSIVE names(name) AS (
                    (SELECT name FROM event_log WHERE tenant_id = ? ORDER BY name LIMIT 1)
                    UNION ALL
                    SELECT (SELECT e.name FROM event_log e WHERE e.tenant_id = ? AND e.name > names.name ORDER BY e.name LIMIT 1)
                    FROM names WHERE names.name IS NOT NULL
                )
                SELECT name FROM names WHERE name IS NOT NULL AND name ILIKE ? LIMIT ?""",
                rs -> rs.getString(1), tenant.value(), tenant.value(), containsPattern(part), max);
    }

    /** An ILIKE pattern matching text that contains {@code part} literally. */
    private static String containsPattern(String part) {
        return "%" + part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    Optional<EventRecord> find(TenantId tenant, EventId id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM event_log WHERE tenant_id = ? AND recorded_at = ? AND id = ?",
                EventLogRepository::map, tenant.value(), id.recordedAt(), id.seq());
    }

    /**
     * The rows one transaction wrote, in order, found through the primary key by the batch's
     * recorded_at (one value per batch). Without it (a notification from a replica of the previous
     * version) the last five minutes are searched.
     */
    List<EventRecord> batch(TenantId tenant, UUID batchId, Instant recordedAt) {
        if (recordedAt == null) {
            return jdbc.list("SELECT " + COLUMNS + " FROM event_log WHERE tenant_id = ? AND recorded_at >= now() - interval '5 minutes' "
                    + "AND batch_id = ? ORDER BY id", EventLogRepository::map, tenant.value(), batchId);
        }
        return jdbc.list("SELECT " + COLUMNS + " FROM event_log WHERE tenant_id = ? AND recorded_at = ? AND batch_id = ? ORDER BY id",
                EventLogRepository::map, tenant.value(), recordedAt, batchId);
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
