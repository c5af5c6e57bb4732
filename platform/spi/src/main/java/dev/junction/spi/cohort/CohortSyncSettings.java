package dev.junction.spi.cohort;

import java.util.Map;

/**
 * How a cohort is synced to the vendor.
 *
 * @param syncId    the sync's id (stable; {@link CohortSyncRun#state()} is already scoped to it)
 * @param cohortKey the cohort's key
 * @param listName  the vendor list name to keep equal to the cohort: the sync's {@code list_name},
 *                  else the cohort's name. A connector may instead take the list from its config (a
 *                  default list id); {@link CohortSync#validate} sees both and says which it uses
 * @param mapping   mapping key to member field, e.g. {@code email -> email}, {@code first_name -> given_name};
 *                  the keys and what they fill are listed at {@link CohortMember}
 * @since 1.0
 */
public record CohortSyncSettings(String syncId, String cohortKey, String listName, Map<String, String> mapping) {
    public CohortSyncSettings {
        mapping = Map.copyOf(mapping);
    }
}
