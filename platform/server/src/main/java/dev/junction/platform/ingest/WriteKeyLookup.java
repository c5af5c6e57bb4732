package dev.junction.platform.ingest;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.security.RandomCredentials;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Resolves a write key to its tenant and source. The one lookup of this feature that cannot be
 * scoped by tenant: the key is all a sender presents, and it names the tenant. By hash only.
 */
@Singleton
class WriteKeyLookup {

    /** Where a write key leads. */
    record SourceRef(TenantId tenant, UUID sourceId) { }

    private final Jdbc jdbc;

    WriteKeyLookup(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Optional<SourceRef> resolve(String secretPart, Instant now) {
        byte[] hash = RandomCredentials.hash(secretPart);
        return jdbc.one("SELECT tenant_id, id FROM http_source WHERE key_hash = ? "
                        + "UNION ALL SELECT tenant_id, id FROM http_source WHERE previous_key_hash = ? AND previous_expires_at > ?",
                rs -> new SourceRef(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class)), hash, hash, now);
    }
}
