package dev.junction.platform.installationhealth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An installation's health ({@code GET /v1/admin/installations/{id}/health}): what went in and out
 * in the last hour and day, by outcome, the backlog, the last successes and failures, and hourly
 * figures for the last 24 hours (the console's charts).
 *
 * @param status       {@code healthy}, {@code degraded} (some failures, or a backlog over 15 min),
 *                     {@code failing} (most of the last hour failed), {@code disabled} (the
 *                     installation or its connector is off) or {@code idle} (nothing in a day)
 * @param statusReason why, in a sentence
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record InstallationHealth(@JsonProperty("installation_id") UUID installationId, String status,
                                 @JsonProperty("status_reason") String statusReason,
                                 @JsonProperty("generated_at") Instant generatedAt,
                                 @JsonProperty("last_hour") Window lastHour, @JsonProperty("last_day") Window lastDay,
                                 Backlog backlog,
                                 @JsonProperty("last_delivered_at") @Nullable Instant lastDeliveredAt,
                                 @JsonProperty("last_sync_succeeded_at") @Nullable Instant lastSyncSucceededAt,
                                 @JsonProperty("last_errors") List<ErrorLink> lastErrors,
                                 List<Hour> hours) {

    /** Counts by outcome (the event log's statuses) of inbound and outbound entries, and the share that failed. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Window(Map<String, Long> inbound, Map<String, Long> outbound, long errors,
                         @JsonProperty("error_rate") double errorRate) { }

    /** Deliveries waiting, and how long the oldest has waited. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Backlog(long pending, @JsonProperty("oldest_pending_age_seconds") @Nullable Long oldestPendingAgeSeconds) { }

    /** A recent failure, linked to its event-log entry. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ErrorLink(@JsonProperty("event_id") String eventId, @JsonProperty("recorded_at") Instant recordedAt, String kind,
                            String name, String status, @JsonProperty("http_status") @Nullable Integer httpStatus, String href) { }

    /** One hour of the last 24, oldest first. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Hour(Instant start, long inbound, long outbound, long errors) { }
}
