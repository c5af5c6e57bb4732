package dev.junction.platform.webhook;

import dev.junction.platform.security.RandomCredentials;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Webhook endpoints and their basic-auth settings, per tenant and installation. */
@Singleton
class WebhookEndpointRepository {

    /** An endpoint of an installation. */
    record Endpoint(String webhookId, Instant createdAt, Instant expiresAt) { }

    /** Stored basic-auth credentials. */
    record BasicAuth(String username, byte[] passwordHash, byte[] salt, int iterations) { }

    private final Jdbc jdbc;

    WebhookEndpointRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TenantId tenant, UUID installation, String webhookId, Instant now) {
        jdbc.update("INSERT INTO webhook_endpoint (id_hash, webhook_id, tenant_id, installation_id, created_at) VALUES (?, ?, ?, ?, ?)",
                RandomCredentials.hash(webhookId), webhookId, tenant.value(), installation, now);
    }

    /** The endpoints of an installation, newest first (the first without expiry is current). */
    List<Endpoint> list(TenantId tenant, UUID installation) {
        return jdbc.list("SELECT webhook_id, created_at, expires_at FROM webhook_endpoint WHERE tenant_id = ? AND installation_id = ? "
                        + "ORDER BY created_at DESC",
                rs -> new Endpoint(rs.getString(1), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at")),
                tenant.value(), installation);
    }

    /** Sets when the installation's current endpoints stop working. */
    void expireCurrent(TenantId tenant, UUID installation, Instant at) {
        jdbc.update("UPDATE webhook_endpoint SET expires_at = ? WHERE tenant_id = ? AND installation_id = ? AND expires_at IS NULL",
                at, tenant.value(), installation);
    }

    /** Removes endpoints that expired before {@code cutoff}. */
    int deleteExpired(TenantId tenant, UUID installation, Instant cutoff) {
        return jdbc.update("DELETE FROM webhook_endpoint WHERE tenant_id = ? AND installation_id = ? AND expires_at < ?",
                tenant.value(), installation, cutoff);
    }

    Optional<BasicAuth> basicAuth(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT username, password_hash, salt, iterations FROM webhook_basic_auth WHERE tenant_id = ? AND installation_id = ?",
                rs -> new BasicAuth(rs.getString(1), rs.getBytes(2), rs.getBytes(3), rs.getInt(4)), tenant.value(), installation);
    }

    void putBasicAuth(TenantId tenant, UUID installation, BasicAuth auth) {
        jdbc.update("""
                INSERT INTO webhook_basic_auth (tenant_id, installation_id, username, password_hash, salt, iterations) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, installation_id) DO UPDATE SET username = EXCLUDED.username,
                    password_hash = EXCLUDED.password_hash, salt = EXCLUDED.salt, iterations = EXCLUDED.iterations""",
                tenant.value(), installation, auth.username(), auth.passwordHash(), auth.salt(), auth.iterations());
    }

    boolean deleteBasicAuth(TenantId tenant, UUID installation) {
        return jdbc.update("DELETE FROM webhook_basic_auth WHERE tenant_id = ? AND installation_id = ?", tenant.value(), installation) == 1;
    }
}
