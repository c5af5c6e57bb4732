package dev.junction.platform.tenant;

import java.util.Objects;
import java.util.UUID;

/**
 * The id of a tenant. Every repository method that touches tenant-owned data takes one as its
 * first parameter (checked by {@code TenantScopedRepositoryRuleTest}).
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
