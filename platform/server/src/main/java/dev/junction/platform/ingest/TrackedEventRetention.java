package dev.junction.platform.ingest;

import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.db.Jdbc;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;

/**
 * Deletes tracked events older than their tenant's event retention (the same setting as the live
 * event log), with their finished deliveries. Events still pending for a destination are kept
 * until they are delivered or dead-lettered; a dead letter older than the retention goes with its
 * event. Their messageIds no longer dedupe after that (Segment dedupes within a day or so).
 * Runs every 15 minutes in batches; an advisory lock keeps it to one replica at a time.
 */
@Singleton
class TrackedEventRetention {

    private static final Logger LOG = LoggerFactory.getLogger(TrackedEventRetention.class);
    /** Advisory lock key ("junction" tracked-event retention). */
    static final long LOCK_KEY = 0x4A554E4354524B45L;
    private static final int BATCH = 5_000;

    private final PlatformMetrics metrics;
    private final Jdbc jdbc;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    TrackedEventRetention(Jdbc jdbc, TransactionOperations<Connection> tx, Clock clock, PlatformMetrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
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

    /** Deletes what has expired; returns how many events, or -1 when another replica is at it. */
    int run() {
        int total = 0;
        while (true) {
            Instant now = Instant.now(clock);
            Integer deleted = tx.executeWrite(s -> {
                if (!jdbc.one("SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), LOCK_KEY).orElse(false)) {
                    return null;
                }
                return jdbc.update("""
                        DELETE FROM tracked_event WHERE id IN (
                            SELECT e.id FROM tracked_event e JOIN tenant t ON t.id = e.tenant_id
                            WHERE e.received_at < ?::timestamptz - interval '1 day'  -- the shortest retention; lets the index narrow it
                              AND e.received_at < ?::timestamptz - make_interval(days => t.event_retention_days)
                              AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = e.id AND d.status = 'pending')
                            LIMIT ?)""", now, now, BATCH);
            });
            if (deleted == null) {
                return total == 0 ? -1 : total;
            }
            total += deleted;
            metrics.retention("tracked_event", deleted);
            if (deleted < BATCH) {
                if (total > 0) {
                    LOG.info("Deleted {} tracked event(s) past their tenant's retention", total);
                }
                return total;
            }
        }
    }
}
