package dev.junction.platform.installation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An installation as the API shows it. Secret config fields read {@code {"secret":"set"}}.
 *
 * @param webhookUrl present for connectors with the event_source capability, to callers that can write
 * @param objectSync present for connectors with the object_sync capability: schema, interval, next run
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstallationResponse(UUID id, String integration, String name, String variant,
                                   @JsonProperty("delivery_mode") String deliveryMode, String status,
                                   Map<String, Object> config,
                                   @JsonProperty("last_check") @Nullable CheckResponse lastCheck,
                                   @JsonProperty("webhook_url") @Nullable String webhookUrl,
                                   @JsonProperty("object_sync") @Nullable Map<String, Object> objectSync,
                                   @JsonProperty("created_at") Instant createdAt,
                                   @JsonProperty("updated_at") Instant updatedAt) {

    /** Config field names only, and no webhook URL: both can hold credentials. */
    @Override
    public String toString() {
        return "InstallationResponse[id=" + id + ", integration=" + integration + ", name=" + name + ", status=" + status
                + ", config=<redacted " + (config == null ? "[]" : config.keySet()) + ">]";
    }

    /** This view without the webhook URL, whose id is the credential of an unsigned webhook. */
    InstallationResponse withoutWebhookUrl() {
        return new InstallationResponse(id, integration, name, variant, deliveryMode, status, config, lastCheck, null, objectSync,
                createdAt, updatedAt);
    }

    /** A connection check outcome. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record CheckResponse(boolean succeeded, String code, String message,
                                @JsonProperty("checked_at") Instant checkedAt, Map<String, Object> details) {
        static CheckResponse of(Installation.CheckRecord r) {
            return r == null ? null : new CheckResponse(r.succeeded(), r.code(), r.message(), r.checkedAt(), r.details());
        }
    }
}
