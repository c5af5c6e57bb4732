package dev.junction.platform.secret;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored secrets, always of one tenant. */
@Singleton
class SecretRepository {

    /** A row: the metadata and the sealed value. */
    record Row(SecretMetadata metadata, SealedSecret sealed) { }

    private static final String COLUMNS =
            "name, version, created_at, updated_at, ciphertext, nonce, wrapped_key, wrap_nonce, kek_id";

    private final Jdbc jdbc;

    SecretRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The row, locked until the transaction ends so concurrent writers serialise. */
    Optional<Row> findForUpdate(TenantId tenant, String name) {
        return jdbc.one("SELECT " + COLUMNS + " FROM secret WHERE tenant_id = ? AND name = ? FOR UPDATE",
                SecretRepository::map, tenant.value(), name);
    }

    Optional<Row> find(TenantId tenant, String name) {
        return jdbc.one("SELECT " + COLUMNS + " FROM secret WHERE tenant_id = ? AND name = ?",
                SecretRepository::map, tenant.value(), name);
    }

    /** Inserts version 1 unless the name exists; returns whether it was inserted. */
    boolean insert(TenantId tenant, String name, SealedSecret s, Instant now) {
        return jdbc.update("""
                INSERT INTO secret (tenant_id, name, version, ciphertext, nonce, wrapped_key, wrap_nonce, kek_id, created_at, updated_at)
                VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING""",
                tenant.value(), name, s.ciphertext(), s.nonce(), s.wrappedKey(), s.wrapNonce(), s.kekId(), now, now) == 1;
    }

    /** Stores a new value as the next version. */
    void replace(TenantId tenant, String name, SealedSecret s, Instant now) {
        jdbc.update("""
                UPDATE secret SET version = version + 1, ciphertext = ?, nonce = ?, wrapped_key = ?, wrap_nonce = ?,
                       kek_id = ?, updated_at = ?
                WHERE tenant_id = ? AND name = ?""",
                s.ciphertext(), s.nonce(), s.wrappedKey(), s.wrapNonce(), s.kekId(), now, tenant.value(), name);
    }

    /** Replaces the wrapped data key only (master key rotation); the version does not change. */
    void rewrap(TenantId tenant, String name, SealedSecret s) {
        jdbc.update("UPDATE secret SET wrapped_key = ?, wrap_nonce = ?, kek_id = ? WHERE tenant_id = ? AND name = ?",
                s.wrappedKey(), s.wrapNonce(), s.kekId(), tenant.value(), name);
    }

    List<SecretMetadata> list(TenantId tenant, String afterName, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM secret WHERE tenant_id = ? AND (?::text IS NULL OR name > ?) ORDER BY name LIMIT ?",
                rs -> map(rs).metadata(), tenant.value(), afterName, afterName, limit);
    }

    /** Secrets of the tenant whose data key is wrapped by another master key than {@code kekId}. */
    List<Row> listWrappedByOtherKeys(TenantId tenant, String kekId) {
        return jdbc.list("SELECT " + COLUMNS + " FROM secret WHERE tenant_id = ? AND kek_id <> ? FOR UPDATE",
                SecretRepository::map, tenant.value(), kekId);
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.update("DELETE FROM secret WHERE tenant_id = ? AND name = ?", tenant.value(), name) == 1;
    }

    private static Row map(ResultSet rs) throws SQLException {
        return new Row(
                new SecretMetadata(rs.getString("name"), rs.getInt("version"),
                        Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at")),
                new SealedSecret(rs.getBytes("ciphertext"), rs.getBytes("nonce"), rs.getBytes("wrapped_key"),
                        rs.getBytes("wrap_nonce"), rs.getString("kek_id")));
    }
}
