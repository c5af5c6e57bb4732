package dev.junction.platform.health;

import dev.junction.platform.delivery.DeliveryBacklog;
import dev.junction.platform.eventlog.LiveTail;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replica's gauges, read from the features they watch (outbox, live tail, plugins, database):
 * they live here, above those features, so that {@code metrics} stays a facade every feature may
 * use without a cycle. The ones read on every scrape are in-memory values; the outbox figures need the
 * database and are sampled every 15 s instead (one index-backed query over pending rows), so a
 * scrape never waits for PostgreSQL and many scrapers do not multiply the load.
 */
@Singleton
final class PlatformGauges {

    private final PlatformMetrics metrics;
    private final DeliveryBacklog deliveries;
    private final Clock clock;
    private final LiveTail liveTail;
    private final ConnectorRegistry registry;
    private final DatabaseProbe database;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    PlatformGauges(PlatformMetrics metrics, DeliveryBacklog deliveries, LiveTail liveTail, ConnectorRegistry registry,
                   DatabaseProbe database, Clock clock) {
        this.metrics = metrics;
        this.deliveries = deliveries;
        this.clock = clock;
        this.liveTail = liveTail;
        this.registry = registry;
        this.database = database;
    }

    @EventListener
    void register(StartupEvent event) {
        metrics.gauge("junction.delivery.backlog", "Events waiting in the delivery outbox (every tenant; sampled every 15 s)",
                backlog::get);
        metrics.gauge("junction.delivery.backlog.oldest.age", "Age of the oldest event waiting in the outbox (sampled every 15 s)",
                "seconds", oldestAgeSeconds::get);
        metrics.gauge("junction.livetail.clients", "Live-tail (SSE) clients connected to this replica", liveTail::subscriberCount);
        metrics.gauge("junction.database.up", "1 when this replica reaches its database (checked every second)",
                () -> database.reachable() ? 1 : 0);
        metrics.initialize();
        for (ConnectorEntry entry : registry.connectors()) {
            metrics.initialize(entry.slug());
            metrics.connectorGauge("junction.plugin.disabled", "1 while the connector is disabled for a plugin defect",
                    entry.slug(), () -> entry.disabledReason().isPresent() ? 1 : 0);
        }
        sample();
    }

    /** The outbox's size and oldest pending age; left as they were when the database does not answer. */
    @Scheduled(fixedDelay = "15s", initialDelay = "15s")
    void sample() {
        try {
            DeliveryBacklog.Pending pending = deliveries.pendingEverywhere();
            backlog.set(pending.count());
            oldestAgeSeconds.set(pending.oldestQueuedAt() == null ? 0
                    : Math.max(0, Duration.between(pending.oldestQueuedAt(), Instant.now(clock)).toSeconds()));
        } catch (RuntimeException e) {
            // junction_database_up says why; the last figures stay
        }
    }
}
