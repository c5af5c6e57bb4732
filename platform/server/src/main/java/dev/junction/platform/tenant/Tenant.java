package dev.junction.platform.tenant;

import dev.junction.platform.tenancy.TenantDirectory;
import dev.junction.platform.tenancy.TenantId;
import java.time.Instant;

/**
 * A company using Junction. Owns secrets, installations and events; deleting it deletes them.
 *
 * @param eventRetentionDays how long its live event log entries are kept
 */
public record Tenant(TenantId id, String slug, String name, Instant createdAt, int eventRetentionDays) {

    /** Event log retention of a new tenant, in days. */
    public static final int DEFAULT_EVENT_RETENTION_DAYS = 7;

    /** What a tenant slug looks like (also enforced by a CHECK constraint). */
    public static final String SLUG_PATTERN = TenantDirectory.SLUG_PATTERN;
}
