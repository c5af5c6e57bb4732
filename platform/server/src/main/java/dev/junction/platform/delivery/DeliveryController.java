package dev.junction.platform.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The delivery outbox of a tenant: {@code /v1/admin/deliveries}. */
@Controller("/v1/admin/deliveries")
class DeliveryController {

    private final DeliveryService deliveries;

    DeliveryController(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryResponse(long id, @JsonProperty("installation_id") UUID installationId, @JsonProperty("message_id") String messageId,
                            String type, String event, @JsonProperty("user_id") String userId,
                            @JsonProperty("anonymous_id") String anonymousId, String status, int attempts,
                            @JsonProperty("created_at") Instant createdAt, @JsonProperty("queued_at") Instant queuedAt,
                            @JsonProperty("last_attempt_at") Instant lastAttemptAt, @JsonProperty("finished_at") Instant finishedAt,
                            @JsonProperty("http_status") Integer httpStatus, String reason, int replays) {
        static DeliveryResponse of(Delivery d) {
            return new DeliveryResponse(d.id(), d.installationId(), d.messageId(), d.type(), d.event(), d.userId(), d.anonymousId(),
                    d.status(), d.attempts(), d.createdAt(), d.queuedAt(), d.lastAttemptAt(), d.finishedAt(), d.httpStatus(), d.reason(),
                    d.replays());
        }
    }

    /** Which deliveries to replay: {@code ids}, or a {@code filter}. */
    @Serdeable
    record ReplayRequest(@Nullable List<Long> ids, @Nullable @Valid ReplayFilter filter) { }

    /** Every delivery with this status (default {@code dead}), of this installation when given. */
    @Serdeable
    record ReplayFilter(@Nullable String status, @JsonProperty("installation_id") @Nullable UUID installationId) { }

    @Serdeable
    record ReplayResponse(int replayed, List<Long> ids) { }

    @Get
    @TenantRead
    Page<DeliveryResponse> list(@QueryValue @Nullable String status, @QueryValue("installation_id") @Nullable UUID installationId,
                                @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor, Caller caller) {
        Page<Delivery> page = deliveries.list(caller.tenantId(), status, installationId, cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(DeliveryResponse::of).toList(), page.nextCursor());
    }

    @Get("/{id}")
    @TenantRead
    DeliveryResponse get(long id, Caller caller) {
        return DeliveryResponse.of(deliveries.get(caller.tenantId(), id));
    }

    @Post("/replay")
    @TenantWrite
    ReplayResponse replay(@Body @Valid ReplayRequest request, Caller caller) {
        ReplayFilter f = request.filter();
        List<Long> ids = deliveries.replay(caller.tenantId(), request.ids(),
                f == null ? null : new DeliveryService.ReplayFilter(f.status(), f.installationId()));
        return new ReplayResponse(ids.size(), ids.size() <= 1000 ? ids : ids.subList(0, 1000));
    }
}
