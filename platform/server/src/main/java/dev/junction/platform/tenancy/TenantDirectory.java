package dev.junction.platform.tenancy;

import java.util.Map;
import java.util.Optional;

/**
 * Tenants by slug, for what sits below the tenant feature (authentication resolves the tenant a
 * token or header names), and their retention settings for the features that keep events. The tenant feature implements it; authentication depends only on this.
 */
public interface TenantDirectory {

    /** What a tenant slug looks like: 2-63 characters of a-z, 0-9 and '-', starting with a letter or digit. */
    String SLUG_PATTERN = "^[a-z0-9][a-z0-9-]{1,62}$";

    /** The id of the tenant with this slug; empty when there is none (or it was deleted). */
    Optional<TenantId> idOfSlug(String slug);

    /**
     * Every tenant's event retention in days (the live event log and tracked events keep that
     * long): for the retention jobs of the features that keep events.
     */
    Map<TenantId, Integer> eventRetentionDays();
}
