package dev.junction.platform.installation;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Connector key-value state, per tenant and installation. */
@Singleton
class InstallationStateRepository {

    private final Jdbc jdbc;

    InstallationStateRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> get(TenantId tenant, UUID installation, String key) {
        return jdbc.one("SELECT value FROM installation_state WHERE tenant_id = ? AND installation_id = ? AND key = ?",
                rs -> rs.getString(1), tenant.value(), installation, key);
    }

    void put(TenantId tenant, UUID installation, String key, String value, Instant now) {
        jdbc.update("""
                INSERT INTO installation_state (tenant_id, installation_id, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, installation_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at""",
                tenant.value(), installation, key, value, now);
    }

    void delete(TenantId tenant, UUID installation, String key) {
        jdbc.update("DELETE FROM installation_state WHERE tenant_id = ? AND installation_id = ? AND key = ?",
                tenant.value(), installation, key);
    }

    Map<String, String> list(TenantId tenant, UUID installation, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.list("SELECT key, value FROM installation_state WHERE tenant_id = ? AND installation_id = ? "
                        + "AND starts_with(key, ?) ORDER BY key",
                rs -> out.put(rs.getString(1), rs.getString(2)), tenant.value(), installation, prefix);
        return out;
    }
}
