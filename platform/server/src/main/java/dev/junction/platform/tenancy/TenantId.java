package dev.junction.platform.tenancy;

import java.util.Objects;
import java.util.UUID;

/**
 * The id of a tenant. Every repository method that touches tenant-owned data takes one as its
 * first parameter. It lives below every feature, the tenant feature and authentication included,
 * so that both can name tenants without depending on each other.
 */
public record TenantId(UUID value) {
    public TenantId {
        Objects.requireNonNull(value, "tenant id");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
