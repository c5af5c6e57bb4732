package dev.junction.platform.ingest;

import dev.junction.platform.PlatformJson;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Accepted tracking messages of one tenant, once per messageId. */
@Singleton
class TrackedEventRepository {

    private final Jdbc jdbc;

    TrackedEventRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Up to {@code limit} ids of the tenant's events received before {@code cutoff}, after
     * {@code afterId}, in id order (a retention pass walks them with the last id it saw).
     */
    List<Long> receivedBefore(TenantId tenant, Instant cutoff, long afterId, int limit) {
        return jdbc.list("SELECT id FROM tracked_event WHERE tenant_id = ? AND received_at < ? AND id > ? ORDER BY id LIMIT ?",
                rs -> rs.getLong(1), tenant.value(), cutoff, afterId, limit);
    }

    /** Deletes these events of the tenant (their deliveries go with them); returns how many. */
    int delete(TenantId tenant, Collection<Long> ids) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = Jdbc.prepare(c, "DELETE FROM tracked_event WHERE tenant_id = ? AND id = ANY(?::bigint[])",
                    new Object[]{tenant.value(), c.createArrayOf("bigint", ids.toArray())})) {
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Stores the messages whose messageId is new; returns their ids by messageId. Rows are written
     * in messageId order so that concurrent requests repeating the same messages lock them in the
     * same order (no deadlocks).
     */
    Map<String, Long> insertNew(TenantId tenant, UUID source, List<TrackedMessage> messages, Instant receivedAt) {
        int n = messages.size();
        Object[] ids = new Object[n];
        Object[] types = new Object[n];
        Object[] events = new Object[n];
        Object[] users = new Object[n];
        Object[] anonymous = new Object[n];
        Object[] occurred = new Object[n];
        Object[] bodies = new Object[n];
        for (int i = 0; i < n; i++) {
            TrackedMessage m = messages.get(i);
            ids[i] = m.messageId();
            types[i] = m.type();
            events[i] = m.event();
            users[i] = m.userId();
            anonymous[i] = m.anonymousId();
            occurred[i] = Timestamp.from(m.occurredAt());
            bodies[i] = PlatformJson.write(m.message());
        }
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO tracked_event (tenant_id, message_id, source_id, type, event, user_id, anonymous_id, occurred_at,
                                               received_at, message)
                    SELECT ?, m.message_id, ?, m.type, m.event, m.user_id, m.anonymous_id, m.occurred_at, ?, m.message::jsonb
                    FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[])
                         AS m(message_id, type, event, user_id, anonymous_id, occurred_at, message)
                    ORDER BY m.message_id
                    ON CONFLICT (tenant_id, message_id) DO NOTHING
                    RETURNING id, message_id""")) {
                ps.setObject(1, tenant.value());
                ps.setObject(2, source);
                ps.setTimestamp(3, Timestamp.from(receivedAt));
                ps.setArray(4, c.createArrayOf("text", ids));
                ps.setArray(5, c.createArrayOf("text", types));
                ps.setArray(6, c.createArrayOf("text", events));
                ps.setArray(7, c.createArrayOf("text", users));
                ps.setArray(8, c.createArrayOf("text", anonymous));
                ps.setArray(9, c.createArrayOf("timestamptz", occurred));
                ps.setArray(10, c.createArrayOf("text", bodies));
                Map<String, Long> fresh = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fresh.put(rs.getString(2), rs.getLong(1));
                    }
                }
                return fresh;
            }
        });
    }
}
