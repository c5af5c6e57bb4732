package dev.junction.platform.inbox;

import io.micronaut.context.annotation.Property;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The inbox's bounds and processors ({@code junction.ingest.*}). Past a tenant's bound its
 * requests are answered 429, past the total bound every request 503, both with Retry-After: the
 * senders (SendGrid, Klaviyo, Segment SDKs) retry, and the backlog cannot grow without limit.
 */
@Singleton
final class InboxSettings {

    private final long maxEventsPerTenant;
    private final long maxEvents;
    private final int processors;
    private final Duration pollInterval;
    private final Duration retryAfterTenant;
    private final Duration retryAfterTotal;
    private final int batchRequests;
    private final long batchEvents;

    InboxSettings(@Property(name = "junction.ingest.max-backlog-events-per-tenant", defaultValue = "250000") long maxEventsPerTenant,
                  @Property(name = "junction.ingest.max-backlog-events", defaultValue = "1000000") long maxEvents,
                  @Property(name = "junction.ingest.processors", defaultValue = "2") int processors,
                  @Property(name = "junction.ingest.poll-interval", defaultValue = "100ms") Duration pollInterval,
                  @Property(name = "junction.ingest.retry-after-tenant", defaultValue = "2s") Duration retryAfterTenant,
                  @Property(name = "junction.ingest.retry-after-total", defaultValue = "5s") Duration retryAfterTotal,
                  @Property(name = "junction.ingest.batch-requests", defaultValue = "50") int batchRequests,
                  @Property(name = "junction.ingest.batch-events", defaultValue = "5000") long batchEvents) {
        this.batchRequests = batchRequests;
        this.batchEvents = batchEvents;
        this.maxEventsPerTenant = maxEventsPerTenant;
        this.maxEvents = maxEvents;
        this.processors = processors;
        this.pollInterval = pollInterval;
        this.retryAfterTenant = retryAfterTenant;
        this.retryAfterTotal = retryAfterTotal;
    }

    long maxEventsPerTenant() {
        return maxEventsPerTenant;
    }

    long maxEvents() {
        return maxEvents;
    }

    /** Processor threads on this replica (0: this replica acknowledges but processes nothing). */
    int processors() {
        return processors;
    }

    /** How often an idle processor looks for work another replica acknowledged. */
    Duration pollInterval() {
        return pollInterval;
    }

    /** At most this many requests of one stream are processed in one transaction... */
    int batchRequests() {
        return batchRequests;
    }

    /** ...and at most this many events (a single larger request is processed alone). */
    long batchEvents() {
        return batchEvents;
    }

    Duration retryAfterTenant() {
        return retryAfterTenant;
    }

    Duration retryAfterTotal() {
        return retryAfterTotal;
    }
}
