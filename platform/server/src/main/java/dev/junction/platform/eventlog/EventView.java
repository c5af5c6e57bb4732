package dev.junction.platform.eventlog;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An event log entry as the API shows it; {@code payload} is left out of list pages. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(String id, @JsonProperty("installation_id") @Nullable UUID installationId, String direction,
                        String kind, String name, String status, @JsonProperty("http_status") @Nullable Integer httpStatus,
                        @JsonProperty("recorded_at") Instant recordedAt, @JsonProperty("occurred_at") @Nullable Instant occurredAt,
                        @JsonProperty("user_id") @Nullable String userId, @JsonProperty("dedupe_key") @Nullable String dedupeKey,
                        @Nullable Map<String, Object> payload) {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    public static EventView summary(EventRecord e) {
        return of(e, null);
    }

    @SuppressWarnings("unchecked")
    public static EventView full(EventRecord e) {
        try {
            return of(e, JSON.readValue(e.payloadJson(), Map.class));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("unreadable payload of event " + e.eventId(), ex);
        }
    }

    private static EventView of(EventRecord e, Map<String, Object> payload) {
        return new EventView(e.eventId().toString(), e.installationId(), e.direction(), e.kind(), e.name(), e.status(),
                e.httpStatus(), e.recordedAt(), e.occurredAt(), e.userId(), e.dedupeKey(), payload);
    }
}
