package dev.junction.platform.delivery;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The delivery outbox of one tenant. */
@Singleton
class DeliveryRepository {

    private static final String VIEW = """
            SELECT d.id, d.installation_id, e.message_id, e.type, e.event, e.user_id, e.anonymous_id, d.status, d.attempts,
                   d.created_at, d.queued_at, d.last_attempt_at, d.finished_at, d.http_status, d.reason, d.replays
            FROM delivery d JOIN tracked_event e ON e.id = d.event_id""";

    private final Jdbc jdbc;

    DeliveryRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** An event to route: its stored id and the key of its user. */
    record Routed(long eventId, String userKey) { }

    /**
     * Queues every event for every destination, events in the given order (which is their
     * delivery order within a user), and makes sure the lanes they use exist.
     */
    int enqueue(TenantId tenant, List<Routed> events, List<UUID> destinations, int lanes, Instant now) {
        int n = events.size();
        Object[] eventIds = new Object[n];
        Object[] userKeys = new Object[n];
        Object[] laneOf = new Object[n];
        for (int i = 0; i < n; i++) {
            eventIds[i] = events.get(i).eventId();
            userKeys[i] = events.get(i).userKey();
            laneOf[i] = (short) lane(events.get(i).userKey(), lanes);
        }
        return jdbc.withConnection(c -> {
            Timestamp at = Timestamp.from(now);
            java.sql.Array installations = c.createArrayOf("uuid", destinations.toArray());
            java.sql.Array laneArray = c.createArrayOf("smallint", laneOf);
            Jdbc.executeUpdate(c, """
                    INSERT INTO delivery_lane (installation_id, lane, tenant_id)
                    SELECT DISTINCT i.id, l.lane, ?::uuid FROM unnest(?::uuid[]) AS i(id), unnest(?::smallint[]) AS l(lane)
                    ORDER BY 1, 2
                    ON CONFLICT DO NOTHING""", tenant.value(), installations, laneArray);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery (tenant_id, installation_id, lane, event_id, user_key, status, created_at, queued_at)
                    SELECT ?, i.id, e.lane, e.event_id, e.user_key, 'pending', ?, ?
                    FROM unnest(?::bigint[], ?::text[], ?::smallint[]) WITH ORDINALITY AS e(event_id, user_key, lane, ord)
                    CROSS JOIN unnest(?::uuid[]) AS i(id)
                    ORDER BY e.ord, i.id""")) {
                ps.setObject(1, tenant.value());
                ps.setTimestamp(2, at);
                ps.setTimestamp(3, at);
                ps.setArray(4, c.createArrayOf("bigint", eventIds));
                ps.setArray(5, c.createArrayOf("text", userKeys));
                ps.setArray(6, laneArray);
                ps.setArray(7, installations);
                return ps.executeUpdate();
            }
        });
    }

    /** The lane of a user: a stable hash, so one user's events always share a lane. */
    static int lane(String userKey, int lanes) {
        return Math.floorMod(userKey.hashCode(), lanes);
    }

    /** The oldest pending deliveries of a lane, with their events. */
    List<PendingDelivery> pendingInLane(TenantId tenant, UUID installation, int lane, int limit) {
        return jdbc.list("""
                        SELECT d.id, d.attempts, d.queued_at, d.user_key, e.message_id, e.type, e.event, e.user_id, e.anonymous_id,
                               e.occurred_at, e.message::text AS message
                        FROM delivery d JOIN tracked_event e ON e.id = d.event_id
                        WHERE d.tenant_id = ? AND d.installation_id = ? AND d.lane = ? AND d.status = 'pending'
                        ORDER BY d.seq LIMIT ?""",
                rs -> new PendingDelivery(rs.getLong("id"), rs.getInt("attempts"), Jdbc.instant(rs, "queued_at"), rs.getString("user_key"),
                        rs.getString("message_id"), rs.getString("type"), rs.getString("event"), rs.getString("user_id"),
                        rs.getString("anonymous_id"), Jdbc.instant(rs, "occurred_at"), rs.getString("message")),
                tenant.value(), installation, (short) lane, limit);
    }

    /** A delivery's new state after an attempt. */
    record Result(long id, String status, boolean countsAsAttempt, Integer httpStatus, String reason) { }

    /** Records attempt results (only on rows still pending: a replay or another worker may have moved on). */
    int record(TenantId tenant, List<Result> results, Instant now) {
        if (results.isEmpty()) {
            return 0;
        }
        int n = results.size();
        Object[] ids = new Object[n];
        Object[] statuses = new Object[n];
        Object[] attempts = new Object[n];
        Object[] http = new Object[n];
        Object[] reasons = new Object[n];
        for (int i = 0; i < n; i++) {
            Result r = results.get(i);
            ids[i] = r.id();
            statuses[i] = r.status();
            attempts[i] = r.countsAsAttempt() ? 1 : 0;
            http[i] = r.httpStatus();
            reasons[i] = r.reason() == null ? null : truncate(r.reason(), 4000);
        }
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE delivery d SET status = u.status, attempts = d.attempts + u.add_attempt,
                           last_attempt_at = CASE WHEN u.add_attempt > 0 THEN ?::timestamptz ELSE d.last_attempt_at END,
                           finished_at = CASE WHEN u.status = 'pending' THEN NULL ELSE ?::timestamptz END,
                           http_status = coalesce(u.http_status, d.http_status), reason = u.reason
                    FROM unnest(?::bigint[], ?::text[], ?::int[], ?::int[], ?::text[]) AS u(id, status, add_attempt, http_status, reason)
                    WHERE d.tenant_id = ? AND d.id = u.id AND d.status = 'pending'""")) {
                Timestamp at = Timestamp.from(now);
                ps.setTimestamp(1, at);
                ps.setTimestamp(2, at);
                ps.setArray(3, c.createArrayOf("bigint", ids));
                ps.setArray(4, c.createArrayOf("text", statuses));
                ps.setArray(5, c.createArrayOf("int", attempts));
                ps.setArray(6, c.createArrayOf("int", http));
                ps.setArray(7, c.createArrayOf("text", reasons));
                ps.setObject(8, tenant.value());
                return ps.executeUpdate();
            }
        });
    }

    /** Keyset page, newest first. */
    List<Delivery> list(TenantId tenant, String status, UUID installation, Long beforeId, int limit) {
        return jdbc.list(VIEW + """
                         WHERE d.tenant_id = ? AND (?::text IS NULL OR d.status = ?) AND (?::uuid IS NULL OR d.installation_id = ?)
                           AND (?::bigint IS NULL OR d.id < ?)
                        ORDER BY d.id DESC LIMIT ?""",
                DeliveryRepository::map, tenant.value(), status, status, installation, installation, beforeId, beforeId, limit);
    }

    Optional<Delivery> find(TenantId tenant, long id) {
        return jdbc.one(VIEW + " WHERE d.tenant_id = ? AND d.id = ?", DeliveryRepository::map, tenant.value(), id);
    }

    /** Which of these events still have a delivery pending (to some destination). */
    List<Long> pendingEvents(TenantId tenant, Collection<Long> eventIds) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = Jdbc.prepare(c, "SELECT DISTINCT event_id FROM delivery "
                            + "WHERE tenant_id = ? AND event_id = ANY(?::bigint[]) AND status = 'pending'",
                    new Object[]{tenant.value(), c.createArrayOf("bigint", eventIds.toArray())}); ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            }
        });
    }

    /** Sends these deliveries again, at the back of their lanes; returns the ids replayed. */
    List<Long> replayIds(TenantId tenant, Collection<Long> ids, Instant now) {
        return jdbc.withConnection(c -> replay(c, tenant, "d.id = ANY(?::bigint[]) AND d.status = ANY(?::text[])", now,
                c.createArrayOf("bigint", ids.toArray()), c.createArrayOf("text", Delivery.REPLAYABLE.toArray())));
    }

    /** Sends again every delivery with this status (and installation, when given). */
    List<Long> replayMatching(TenantId tenant, String status, UUID installation, Instant now) {
        return jdbc.withConnection(c -> replay(c, tenant, "d.status = ? AND (?::uuid IS NULL OR d.installation_id = ?)", now,
                status, installation, installation));
    }

    private static List<Long> replay(Connection c, TenantId tenant, String condition, Instant now, Object... params) throws SQLException {
        Object[] all = new Object[params.length + 3];
        all[0] = tenant.value();
        System.arraycopy(params, 0, all, 1, params.length);
        all[all.length - 2] = now;
        all[all.length - 1] = tenant.value();
        // New sequence numbers in the old order: replayed events keep their relative order per user,
        // behind whatever is pending in their lane now.
        String sql = """
                WITH picked AS (
                    SELECT d.id FROM delivery d WHERE d.tenant_id = ? AND %s ORDER BY d.seq FOR UPDATE
                ), renumbered AS (
                    SELECT id, nextval('delivery_seq') AS seq FROM picked
                )
                UPDATE delivery d SET status = 'pending', attempts = 0, seq = r.seq, queued_at = ?, finished_at = NULL,
                       reason = NULL, http_status = NULL, replays = d.replays + 1
                FROM renumbered r
                WHERE d.id = r.id AND d.tenant_id = ?
                RETURNING d.id""".formatted(condition);
        try (PreparedStatement ps = Jdbc.prepare(c, sql, all); ResultSet rs = ps.executeQuery()) {
            List<Long> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out;
        }
    }

    private static Delivery map(ResultSet rs) throws SQLException {
        Integer http = rs.getObject("http_status", Integer.class);
        return new Delivery(rs.getLong("id"), rs.getObject("installation_id", UUID.class), rs.getString("message_id"),
                rs.getString("type"), rs.getString("event"), rs.getString("user_id"), rs.getString("anonymous_id"),
                rs.getString("status"), rs.getInt("attempts"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "queued_at"),
                Jdbc.instant(rs, "last_attempt_at"), Jdbc.instant(rs, "finished_at"), http, rs.getString("reason"), rs.getInt("replays"));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
