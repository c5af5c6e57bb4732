package dev.junction.platform.installation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.tenancy.TenantId;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's installation of a connector.
 *
 * @param config       the non-secret config fields only
 * @param secretFields names of config fields stored in the secret store
 * @param lastCheck    the last connection check, or null
 */
public record Installation(UUID id, TenantId tenantId, String connector, String name, String variant,
                           String deliveryMode, Status status, ObjectNode config, Set<String> secretFields,
                           CheckRecord lastCheck, Instant createdAt, Instant updatedAt) {

    /** Config field names only: values of secret fields are credentials. */
    @Override
    public String toString() {
        java.util.List<String> fields = new java.util.ArrayList<>();
        if (config != null) {
            config.fieldNames().forEachRemaining(fields::add);
        }
        return "Installation[id=" + id + ", tenantId=" + tenantId + ", connector=" + connector + ", name=" + name
                + ", variant=" + variant + ", status=" + status + ", config=<redacted " + fields + ">]";
    }

    /** Whether the platform uses the installation. */
    public enum Status { ENABLED, DISABLED }

    /** A connection check outcome as stored with the installation. */
    public record CheckRecord(boolean succeeded, String code, String message, Instant checkedAt,
                              java.util.Map<String, Object> details) {
        public CheckRecord {
            details = details == null ? java.util.Map.of() : details;
        }
    }

    Installation withStatus(Status s, Instant now) {
        return new Installation(id, tenantId, connector, name, variant, deliveryMode, s, config, secretFields, lastCheck, createdAt, now);
    }
}
