package dev.junction.platform.eventlog;

import dev.junction.platform.metrics.PlatformMetrics;
import java.time.Duration;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records and reads the live event log. Every write is one batch in one transaction that also
 * sends a PostgreSQL notification ({@value #CHANNEL}) naming the batch, so live-tail clients on
 * every replica see it as soon as it is committed, and never before.
 */
@Singleton
public class EventLogService {

    /** The notification channel; payload {@code <tenant id>:<batch id>:<recorded at>}. */
    public static final String CHANNEL = "junction_event_log";

    private final EventLogRepository events;
    private final Jdbc jdbc;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    private final PlatformMetrics metrics;

    EventLogService(EventLogRepository events, Jdbc jdbc, TransactionOperations<Connection> tx, Clock clock, PlatformMetrics metrics) {
        this.metrics = metrics;
        this.events = events;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** Records entries in their own transaction (or the caller's, when one is open). */
    public void record(TenantId tenant, List<NewEvent> entries) {
        if (entries.isEmpty()) {
            return;
        }
        UUID batch = UUID.randomUUID();
        Instant recordedAt = now();
        tx.executeWrite(s -> {
            long t0 = System.nanoTime();
            events.insert(tenant, batch, recordedAt, entries);
            notifyBatch(tenant, batch, recordedAt);
            metrics.eventLogWrite("record", Duration.ofNanos(System.nanoTime() - t0));
            return null;
        });
    }

    /** The outcome of storing a webhook batch. */
    public record Ingested(int accepted, int duplicates) { }

    /**
     * Stores an installation's webhook events durably, each dedupe key once: returns only after
     * the commit. Events repeating a key already stored (or earlier in the batch) are counted as
     * duplicates and not stored again.
     */
    public Ingested ingestWebhook(TenantId tenant, UUID installation, List<NewEvent> batch) {
        Map<String, NewEvent> unique = new LinkedHashMap<>();
        for (NewEvent e : batch) {
            unique.putIfAbsent(e.dedupeKey(), e);
        }
        UUID batchId = UUID.randomUUID();
        Instant recordedAt = now();
        int stored = tx.executeWrite(s -> {
            long t0 = System.nanoTime();
            int n = events.insertDeduplicated(tenant, installation, batchId, recordedAt, List.copyOf(unique.values()));
            metrics.eventLogWrite("webhook", Duration.ofNanos(System.nanoTime() - t0));
            if (n > 0) {
                notifyBatch(tenant, batchId, recordedAt);
            }
            return n;
        });
        return new Ingested(stored, batch.size() - stored);
    }

    public Page<EventRecord> query(TenantId tenant, EventQuery filter, @Nullable String cursor, int limit) {
        EventId b = Cursor.read(cursor, parts -> parts.size() == 1 ? EventId.parse(parts.get(0)) : null);
        List<EventRecord> rows = tx.executeRead(s -> {
            // Newest-first pages are always best served by walking the time-ordered indexes of the
            // partitions (a Merge Append that stops after one page). Without fresh statistics on
            // today's partition the planner can choose to sort the whole day instead (seconds, not
            // milliseconds, measured in deploy/bench), so that path is ruled out for this query.
            // A q= search is different: its branches find few rows by index and are sorted at the end.
            if (filter.q() == null) {
                jdbc.update("SET LOCAL enable_sort = off");
                jdbc.update("SET LOCAL enable_bitmapscan = off");
            }
            return events.query(tenant, filter, b, limit + 1);
        });
        return Page.ofOverfetched(rows, limit, e -> Cursor.of(e.eventId()));
    }

    public EventRecord get(TenantId tenant, String id) {
        EventId eventId;
        try {
            eventId = EventId.parse(id);
        } catch (RuntimeException e) {
            throw ApiException.notFound("Event " + id);
        }
        return tx.executeRead(s -> events.find(tenant, eventId)).orElseThrow(() -> ApiException.notFound("Event " + id));
    }

    /** The rows of one committed batch (the live tail fetches them when notified). */
    List<EventRecord> batch(TenantId tenant, UUID batchId, @Nullable Instant recordedAt) {
        return tx.executeRead(s -> events.batch(tenant, batchId, recordedAt));
    }

    /** Rows recorded since a point in time, oldest first (live tail resume). */
    List<EventRecord> since(TenantId tenant, Instant from, int limit) {
        return tx.executeRead(s -> events.since(tenant, from, limit));
    }

    private void notifyBatch(TenantId tenant, UUID batch, Instant recordedAt) {
        jdbc.one("SELECT pg_notify(?, ?)", rs -> 1, CHANNEL, tenant.value() + ":" + batch + ":" + recordedAt);
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
