package dev.junction.platform.eventlog;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event log entry to record.
 *
 * @param installationId the installation it concerns, or null (platform-level)
 * @param direction      inbound (from a vendor), outbound (to a vendor) or internal
 * @param kind           what produced it: {@code webhook_event}, {@code http_call}, {@code connector_log},
 *                       {@code delivery_attempt}, {@code sync_step}, {@code webhook_rejected}
 * @param name           e.g. {@code [Sendgrid] delivered} or {@code PUT /v3/marketing/contacts}
 * @param status         e.g. {@code accepted}, {@code delivered}, {@code failed}, {@code retrying}
 * @param httpStatus     the HTTP status involved, or null
 * @param occurredAt     when it happened according to its source, or null
 * @param userId         the user it concerns, or null
 * @param dedupeKey      the source's unique id (webhook events), or null
 * @param payloadJson    the full record as JSON text (secrets already masked)
 */
public record NewEvent(@Nullable UUID installationId, Direction direction, String kind, String name, String status,
                       @Nullable Integer httpStatus, @Nullable Instant occurredAt, @Nullable String userId,
                       @Nullable String dedupeKey, String payloadJson) {

    /** Which way the event went. */
    public enum Direction {
        INBOUND, OUTBOUND, INTERNAL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public NewEvent {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(payloadJson, "payloadJson");
        name = name.length() > 300 ? name.substring(0, 300) : name;
    }
}
