package dev.junction.spi;

import java.util.Locale;

/**
 * What a connector can do. Each value corresponds to one capability extension point; a plugin has
 * a capability when one of its {@code @Extension}s implements that interface (the platform derives
 * the set, nothing else declares it).
 *
 * @since 1.0
 */
public enum Capability {
    /** Keep a vendor list equal to a Junction cohort: {@link dev.junction.spi.cohort.CohortSync}. */
    COHORT_SYNC,
    /** Receive the vendor's webhooks as events: {@link dev.junction.spi.source.EventSource}. */
    EVENT_SOURCE,
    /** Pull the vendor's objects into tables on a schedule: {@link dev.junction.spi.objects.ObjectSync}. */
    OBJECT_SYNC,
    /** Deliver a tenant's own events to the vendor: {@link dev.junction.spi.destination.EventDestination}. */
    EVENT_DESTINATION;

    /** The name used in the API and JSON, e.g. {@code cohort_sync}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
