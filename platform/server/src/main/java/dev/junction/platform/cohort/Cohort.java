package dev.junction.platform.cohort;

import dev.junction.platform.tenancy.TenantId;

import java.time.Instant;
import java.util.UUID;

/** An audience kept in Junction: a key, a name and a membership snapshot. */
record Cohort(TenantId tenantId, UUID id, String key, String name, long memberCount, Instant createdAt,
                     Instant updatedAt) {
    /** What a cohort key looks like. */
    public static final String KEY_PATTERN = "^[a-z0-9][a-z0-9_.-]{0,99}$";
}
