package dev.junction.platform.ingest;

import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.delivery.DeliveryOutbox;
import dev.junction.platform.tenancy.TenantDirectory;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes tracked events older than their tenant's event retention (the same setting as the live
 * event log), with their finished deliveries. Events still pending for a destination are kept
 * until they are delivered or dead-lettered (the delivery feature says which); a dead letter older
 * than the retention goes with its event. Their messageIds no longer dedupe after that (Segment
 * dedupes within a day or so). Runs every 15 minutes in batches; an advisory lock keeps it to one
 * replica at a time.
 */
@Singleton
class TrackedEventRetention {

    private static final Logger LOG = LoggerFactory.getLogger(TrackedEventRetention.class);
    /** Advisory lock key ("junction" tracked-event retention). */
    static final long LOCK_KEY = 0x4A554E4354524B45L;
    private static final int BATCH = 5_000;

    private final PlatformMetrics metrics;
    private final Jdbc jdbc;
    private final TrackedEventRepository events;
    private final TenantDirectory tenants;
    private final DeliveryOutbox deliveries;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    TrackedEventRetention(Jdbc jdbc, TrackedEventRepository events, TenantDirectory tenants, DeliveryOutbox deliveries,
                          TransactionOperations<Connection> tx, Clock clock, PlatformMetrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.events = events;
        this.tenants = tenants;
        this.deliveries = deliveries;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "15m", initialDelay = "5m")
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("Tracked event retention failed: {}", e.getMessage());
        }
    }

    /** One batch of a tenant: how many went, and the last id looked at (-1: nothing left to look at). */
    private record Pass(int deleted, long lastId) { }

    /** Deletes what has expired; returns how many events, or -1 when another replica is at it. */
    int run() {
        int total = 0;
        for (Map.Entry<TenantId, Integer> retention : tenants.eventRetentionDays().entrySet()) {
            TenantId tenant = retention.getKey();
            Instant cutoff = Instant.now(clock).minus(Duration.ofDays(retention.getValue()));
            long after = 0;
            while (after >= 0) {
                long from = after;
                Pass pass = tx.executeWrite(s -> {
                    if (!jdbc.one("SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), LOCK_KEY).orElse(false)) {
                        return null;
                    }
                    List<Long> expired = events.receivedBefore(tenant, cutoff, from, BATCH);
                    Set<Long> pending = deliveries.pendingAmong(tenant, expired);
                    List<Long> gone = expired.stream().filter(id -> !pending.contains(id)).toList();
                    int deleted = gone.isEmpty() ? 0 : events.delete(tenant, gone);
                    return new Pass(deleted, expired.size() < BATCH ? -1 : expired.get(expired.size() - 1));
                });
                if (pass == null) {
                    return total == 0 ? -1 : total;
                }
                total += pass.deleted();
                metrics.retention("tracked_event", pass.deleted());
                after = pass.lastId();
            }
        }
        if (total > 0) {
            LOG.info("Deleted {} tracked event(s) past their tenant's retention", total);
        }
        return total;
    }
}
