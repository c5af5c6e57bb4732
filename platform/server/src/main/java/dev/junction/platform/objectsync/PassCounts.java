package dev.junction.platform.objectsync;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a run did to one collection, as runs show it.
 *
 * @param upserted      rows written (new or changed)
 * @param inserted      of those, rows that were new
 * @param deleted       rows a complete pass did not emit, now marked deleted
 * @param skipped       objects without a usable key, not stored
 * @param invalidValues column values that did not fit their column, stored as NULL (the object is in {@code raw})
 * @param complete      whether the connector completed the pass (only then are rows marked deleted)
 * @param millis        time from the start of the pass to its end
 * @param storeMillis   of that, time spent writing to PostgreSQL (the rest is the connector and its vendor)
 */
record PassCounts(long upserted, long inserted, long deleted, long skipped,
                  @JsonProperty("invalid_values") long invalidValues, boolean complete, long millis,
                  @JsonProperty("store_millis") long storeMillis) {
}
