package dev.junction.platform.webhook;

import dev.junction.platform.security.RandomCredentials;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Resolves a webhook URL's id to its tenant and installation. The one lookup that cannot be
 * scoped by tenant, because the URL is all a vendor sends: the random id is the credential that
 * names the tenant. By hash only, never by the raw id.
 */
@Singleton
class WebhookRouteLookup {

    /** Where a webhook id leads. */
    record Route(TenantId tenant, UUID installationId, Instant expiresAt) { }

    private final Jdbc jdbc;

    WebhookRouteLookup(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Route> resolve(String webhookId) {
        return jdbc.one("SELECT tenant_id, installation_id, expires_at FROM webhook_endpoint WHERE id_hash = ?",
                rs -> new Route(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class),
                        Jdbc.instant(rs, "expires_at")), RandomCredentials.hash(webhookId));
    }
}
