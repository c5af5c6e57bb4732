package dev.junction.platform.ingest;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** HTTP sources of one tenant. Write keys are stored as SHA-256 only. */
@Singleton
class HttpSourceRepository {

    private static final String COLUMNS = "id, name, key_hint, created_at, rotated_at, previous_expires_at";

    private final Jdbc jdbc;

    HttpSourceRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TenantId tenant, UUID id, String name, byte[] keyHash, String keyHint, Instant now) {
        jdbc.update("INSERT INTO http_source (id, tenant_id, name, key_hash, key_hint, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                id, tenant.value(), name, keyHash, keyHint, now);
    }

    Optional<HttpSource> find(TenantId tenant, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM http_source WHERE tenant_id = ? AND id = ?", HttpSourceRepository::map,
                tenant.value(), id);
    }

    /** Keyset page in creation order. */
    List<HttpSource> list(TenantId tenant, Instant afterCreated, UUID afterId, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM http_source WHERE tenant_id = ? "
                        + "AND (?::timestamptz IS NULL OR (created_at, id) > (?::timestamptz, ?::uuid)) ORDER BY created_at, id LIMIT ?",
                HttpSourceRepository::map, tenant.value(), afterCreated, afterCreated, afterId, limit);
    }

    /** Replaces the key; the old one keeps working until {@code previousExpiresAt} (null: not at all). */
    boolean rotate(TenantId tenant, UUID id, byte[] keyHash, String keyHint, Instant previousExpiresAt, Instant now) {
        return jdbc.update("UPDATE http_source SET previous_key_hash = CASE WHEN ?::timestamptz IS NULL THEN NULL ELSE key_hash END, "
                        + "previous_expires_at = ?, key_hash = ?, key_hint = ?, rotated_at = ? WHERE tenant_id = ? AND id = ?",
                previousExpiresAt, previousExpiresAt, keyHash, keyHint, now, tenant.value(), id) == 1;
    }

    boolean delete(TenantId tenant, UUID id) {
        return jdbc.update("DELETE FROM http_source WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
    }

    private static HttpSource map(ResultSet rs) throws SQLException {
        return new HttpSource(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("key_hint"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "rotated_at"), Jdbc.instant(rs, "previous_expires_at"));
    }
}
