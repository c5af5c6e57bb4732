package dev.junction.platform.inbox;

import dev.junction.platform.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.Duration;

/**
 * The inbox's bounds and processors ({@code junction.ingest.*}, from the {@code JUNCTION_INGEST_*}
 * environment variables). Past a tenant's bound its requests are answered 429, past the total
 * bound every request 503, both with Retry-After: the senders (SendGrid, Klaviyo, Segment SDKs)
 * retry, and the backlog cannot grow without limit.
 *
 * @param maxBacklogEventsPerTenant waiting events of one tenant past which its requests get 429
 * @param maxBacklogEvents          waiting events of all tenants past which every request gets 503
 * @param processors                processor threads on this replica (0: it acknowledges but processes nothing)
 * @param pollInterval              how often an idle processor looks for work another replica acknowledged
 * @param retryAfterTenant          the Retry-After of a 429
 * @param retryAfterTotal           the Retry-After of a 503
 * @param batchRequests             at most this many requests of one stream are processed in one transaction...
 * @param batchEvents               ...and at most this many events (a single larger request is processed alone)
 */
@Context
@ConfigurationProperties("junction.ingest")
record InboxSettings(@Bindable(defaultValue = "250000") @Min(1) long maxBacklogEventsPerTenant,
                     @Bindable(defaultValue = "1000000") @Min(1) long maxBacklogEvents,
                     @Bindable(defaultValue = "2") @PositiveOrZero int processors,
                     @Bindable(defaultValue = "100ms") Duration pollInterval,
                     @Bindable(defaultValue = "2s") Duration retryAfterTenant,
                     @Bindable(defaultValue = "5s") Duration retryAfterTotal,
                     @Bindable(defaultValue = "50") @Min(1) int batchRequests,
                     @Bindable(defaultValue = "5000") @Min(1) long batchEvents) {

    InboxSettings {
        Settings.positive("junction.ingest.poll-interval", pollInterval);
        Settings.positive("junction.ingest.retry-after-tenant", retryAfterTenant);
        Settings.positive("junction.ingest.retry-after-total", retryAfterTotal);
    }

    long maxEventsPerTenant() {
        return maxBacklogEventsPerTenant;
    }

    long maxEvents() {
        return maxBacklogEvents;
    }
}
