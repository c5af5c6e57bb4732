package dev.junction.platform.inbox;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The {@code ingest_inbox} table. */
@Singleton
class InboxRepository {

    private static final TypeReference<Map<String, List<String>>> HEADERS = new TypeReference<>() { };
    private static final UUID BEFORE_ALL = new UUID(Long.MIN_VALUE, Long.MIN_VALUE);

    /** One tenant's backlog. */
    record TenantBacklog(TenantId tenant, long requests, long events, Instant oldestReceivedAt) { }

    private final Jdbc jdbc;

    InboxRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    long append(TenantId tenant, UUID stream, String kind, Instant receivedAt, int events, String headersJson, byte[] body) {
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO ingest_inbox (tenant_id, stream_id, kind, received_at, events, headers, body)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) RETURNING id""")) {
                ps.setObject(1, tenant.value());
                ps.setObject(2, stream);
                ps.setString(3, kind);
                ps.setTimestamp(4, Timestamp.from(receivedAt));
                ps.setInt(5, events);
                ps.setString(6, headersJson);
                ps.setBytes(7, body);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Locks the next entry to process, for the transaction: only the oldest entry of each stream
     * (order per installation), never one another processor holds (SKIP LOCKED: its stream is
     * busy), and tenants in turn: the first tenant id after {@code lastTenant} that has work, so a
     * tenant with a large backlog gets one entry per round like every other.
     */
    Optional<InboxEntry> claimNext(TenantId lastTenant, Instant now) {
        return jdbc.one("""
                WITH heads AS (
                    SELECT DISTINCT ON (stream_id) id, not_before FROM ingest_inbox ORDER BY stream_id, id
                )
                SELECT i.id, i.tenant_id, i.stream_id, i.kind, i.received_at, i.events, i.headers, i.body, i.attempts
                FROM ingest_inbox i JOIN heads h ON h.id = i.id
                WHERE h.not_before IS NULL OR h.not_before <= ?
                ORDER BY i.tenant_id <= ?, i.tenant_id, i.id
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED""", InboxRepository::entry, now,
                lastTenant == null ? BEFORE_ALL : lastTenant.value());
    }

    /**
     * Locks up to {@code limit} entries after {@code head} in its stream, oldest first, of its kind
     * and not deferred. Nobody else holds them: another processor only takes a stream's oldest entry.
     */
    List<InboxEntry> following(TenantId tenant, InboxEntry head, Instant now, int limit) {
        return jdbc.list("""
                SELECT id, tenant_id, stream_id, kind, received_at, events, headers, body, attempts FROM ingest_inbox
                WHERE tenant_id = ? AND stream_id = ? AND id > ? AND kind = ? AND (not_before IS NULL OR not_before <= ?)
                ORDER BY id LIMIT ? FOR UPDATE""", InboxRepository::entry, tenant.value(), head.stream(), head.id(),
                head.kind(), now, limit);
    }

    void delete(TenantId tenant, List<Long> ids) {
        jdbc.withConnection(c -> Jdbc.executeUpdate(c, "DELETE FROM ingest_inbox WHERE tenant_id = ? AND id = ANY(?)",
                tenant.value(), c.createArrayOf("bigint", ids.toArray())));
    }

    /** After a passing failure: the entry (and so its stream) waits until {@code notBefore}. */
    void defer(TenantId tenant, long id, Instant notBefore) {
        jdbc.update("UPDATE ingest_inbox SET attempts = attempts + 1, not_before = ? WHERE tenant_id = ? AND id = ?",
                notBefore, tenant.value(), id);
    }

    List<TenantBacklog> backlog() {
        return jdbc.list("""
                SELECT tenant_id, count(*), coalesce(sum(events), 0), min(received_at) AS oldest
                FROM ingest_inbox GROUP BY tenant_id""",
                rs -> new TenantBacklog(new TenantId(rs.getObject(1, UUID.class)), rs.getLong(2), rs.getLong(3),
                        Jdbc.instant(rs, "oldest")));
    }

    void deleteAll(TenantId tenant) {
        jdbc.update("DELETE FROM ingest_inbox WHERE tenant_id = ?", tenant.value());
    }

    private static InboxEntry entry(ResultSet rs) throws SQLException {
        Map<String, List<String>> headers;
        try {
            headers = PlatformJson.MAPPER.readValue(rs.getString("headers"), HEADERS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InboxEntry(rs.getLong("id"), new TenantId(rs.getObject("tenant_id", UUID.class)),
                rs.getObject("stream_id", UUID.class), rs.getString("kind"), Jdbc.instant(rs, "received_at"),
                rs.getInt("events"), headers, rs.getBytes("body"), rs.getInt("attempts"));
    }
}
