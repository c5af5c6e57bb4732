package dev.junction.platform.eventlog;

import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantDirectory;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Keeps the event log's daily partitions ahead of time and enforces retention: whole partitions
 * older than every tenant's retention are dropped (cheap), and tenants that keep less have their
 * older rows deleted in batches. Webhook dedupe keys older than their window go too, and today's
 * partition gets fresh planner statistics. Runs every 15 minutes and at start-up; a PostgreSQL advisory lock makes sure only one replica runs it at a time.
 */
@Singleton
public class EventLogMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogMaintenance.class);
    /** Advisory lock key ("junction" event-log maintenance). */
    static final long LOCK_KEY = 0x4A554E4354494F4EL;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final int DAYS_AHEAD = 7;
    private static final int DELETE_BATCH = 10_000;

    private final PlatformMetrics metrics;
    private final Jdbc jdbc;
    private final EventLogRepository events;
    private final TenantDirectory tenants;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final Duration dedupeWindow;

    EventLogMaintenance(Jdbc jdbc, EventLogRepository events, TenantDirectory tenants, TransactionOperations<Connection> tx, Clock clock,
                        @Property(name = "junction.webhooks.dedupe-window", defaultValue = "7d") Duration dedupeWindow,
                        PlatformMetrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.events = events;
        this.tenants = tenants;
        this.tx = tx;
        this.clock = clock;
        this.dedupeWindow = dedupeWindow;
    }

    /** What a run did. */
    public record Report(boolean ran, int partitionsCreated, List<String> partitionsDropped, int rowsDeleted,
                         int dedupeKeysDeleted) { }

    @EventListener
    void onStartup(StartupEvent event) {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("Event log maintenance at start-up failed: {}", e.getMessage());
        }
    }

    @Scheduled(fixedDelay = "15m", initialDelay = "15m")
    void scheduled() {
        run();
    }

    /** Runs once now, unless another replica holds the lock (then reports {@code ran=false}). */
    public Report run() {
        return tx.executeWrite(s -> {
            boolean locked = jdbc.one("SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), LOCK_KEY).orElse(false);
            if (!locked) {
                return new Report(false, 0, List.of(), 0, 0);
            }
            // Creating and dropping partitions locks the parent table: never queue ingest behind it for long.
            jdbc.update("SET LOCAL lock_timeout = '2s'");
            int created = createPartitions();
            List<String> dropped = dropExpiredPartitions();
            int deleted = deleteForShortRetentionTenants();
            int dedupe = jdbc.update("DELETE FROM webhook_dedupe WHERE received_at < ?", Instant.now(clock).minus(dedupeWindow));
            analyzeToday();
            Report report = new Report(true, created, dropped, deleted, dedupe);
            metrics.retention("event_log_partition", dropped.size());
            metrics.retention("event_log", deleted);
            metrics.retention("webhook_dedupe", dedupe);
            if (created + dropped.size() + deleted + dedupe > 0) {
                LOG.info("Event log maintenance: {}", report);
            }
            return report;
        });
    }

    private int createPartitions() {
        LocalDate today = LocalDate.ofInstant(Instant.now(clock), ZoneOffset.UTC);
        int created = 0;
        for (int d = -1; d <= DAYS_AHEAD; d++) {
            created += ensurePartition(today.plusDays(d)) ? 1 : 0;
        }
        return created;
    }

    /** Creates the partition of one UTC day unless it exists or the default partition holds rows of that day. */
    boolean ensurePartition(LocalDate day) {
        String name = "event_log_" + DAY.format(day);
        boolean exists = jdbc.one("SELECT to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1), name).orElse(false);
        if (exists) {
            return false;
        }
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        boolean defaultHasRows = jdbc.one("SELECT EXISTS (SELECT 1 FROM event_log_default WHERE recorded_at >= ? AND recorded_at < ?)",
                rs -> rs.getBoolean(1), from, to).orElse(false);
        if (defaultHasRows) {
            LOG.warn("Not creating partition {}: the default partition holds rows of that day", name);
            return false;
        }
        jdbc.update("CREATE TABLE " + name + " PARTITION OF event_log FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
        // A day's partition fills from empty within hours: keep its planner statistics close behind,
        // or newest-first pages are planned as sorts of the whole day instead of index walks.
        jdbc.update("ALTER TABLE " + name + " SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000)");
        return true;
    }

    /** Refreshes the statistics of today's partition (it grows fastest; see {@link #ensurePartition}). */
    private void analyzeToday() {
        String name = "event_log_" + DAY.format(LocalDate.ofInstant(Instant.now(clock), ZoneOffset.UTC));
        if (jdbc.one("SELECT to_regclass(?) IS NOT NULL", rs -> rs.getBoolean(1), name).orElse(false)) {
            jdbc.update("ANALYZE " + name);
        }
    }

    /** Drops daily partitions entirely older than the longest retention of any tenant. */
    private List<String> dropExpiredPartitions() {
        int maxDays = tenants.eventRetentionDays().values().stream().mapToInt(Integer::intValue).max().orElse(7);
        LocalDate cutoff = LocalDate.ofInstant(Instant.now(clock).minus(Duration.ofDays(maxDays)), ZoneOffset.UTC);
        List<String> partitions = jdbc.list("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'event_log' AND c.relname ~ '^event_log_[0-9]{8}$'""",
                rs -> rs.getString(1));
        List<String> dropped = new java.util.ArrayList<>();
        for (String p : partitions) {
            LocalDate day = LocalDate.parse(p.substring("event_log_".length()), DAY);
            if (day.plusDays(1).isBefore(cutoff) || day.plusDays(1).isEqual(cutoff)) {
                jdbc.update("DROP TABLE " + p);
                dropped.add(p);
            }
        }
        return dropped;
    }

    /** Row-by-row retention for every tenant (cheap where partitions already went). */
    private int deleteForShortRetentionTenants() {
        int deleted = 0;
        for (Map.Entry<TenantId, Integer> retention : tenants.eventRetentionDays().entrySet()) {
            TenantId tenant = retention.getKey();
            Instant cutoff = Instant.now(clock).minus(Duration.ofDays(retention.getValue()));
            int n;
            do {
                n = events.deleteOlderThan(tenant, cutoff, DELETE_BATCH);
                deleted += n;
            } while (n == DELETE_BATCH);
        }
        return deleted;
    }
}
