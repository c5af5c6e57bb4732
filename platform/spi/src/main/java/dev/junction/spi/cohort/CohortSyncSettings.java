package dev.junction.spi.cohort;

import java.util.Map;

/**
 * How a cohort is synced to the vendor.
 *
 * @param syncId    the sync's id (stable; use it to key state such as the vendor list id)
 * @param cohortKey the cohort's key
 * @param listName  the vendor list name to keep equal to the cohort
 * @param mapping   vendor field to member trait, e.g. {@code email -> email}
 * @since 1.0
 */
public record CohortSyncSettings(String syncId, String cohortKey, String listName, Map<String, String> mapping) {
    public CohortSyncSettings {
        mapping = Map.copyOf(mapping);
    }
}
