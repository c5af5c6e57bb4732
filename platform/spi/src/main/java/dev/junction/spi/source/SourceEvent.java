package dev.junction.spi.source;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event from a vendor webhook, in the platform's shape.
 *
 * @param dedupeKey  the vendor's unique id of the event (e.g. SendGrid's {@code sg_event_id});
 *                   the platform stores each key once per installation
 * @param name       event name, e.g. {@code [Sendgrid] delivered}
 * @param userId     the user it concerns, or null
 * @param timestamp  when it happened, per the vendor
 * @param library    the source library name, e.g. {@code sendgrid}
 * @param properties every original field, JSON-compatible
 * @since 1.0
 */
public record SourceEvent(String dedupeKey, String name, String userId, Instant timestamp, String library,
                          Map<String, Object> properties) {
    public SourceEvent {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(library, "library");
        properties = properties == null ? Map.of() : properties;
    }
}
