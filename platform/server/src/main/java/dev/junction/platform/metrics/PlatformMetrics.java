package dev.junction.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The platform's own metrics, in one place so their names and labels stay consistent and bounded.
 * Micrometer names are dotted; the Prometheus registry renders them in base units with
 * {@code _total} for counters and {@code _seconds} for timers (README, "Operating Junction").
 *
 * <p>Labels are only ever connector slugs, fixed outcome/status/kind words, plugin method names and
 * HTTP status classes: never tenant ids, user ids or URLs (per-tenant figures come from the
 * installation health API).
 */
@Singleton
public class PlatformMetrics {

    /** Buckets for calls that should take milliseconds to a few seconds (plugin calls, vendor HTTP). */
    private static final Duration[] CALL_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    /** Buckets for database writes of the event log (target: well under 100 ms). */
    private static final Duration[] WRITE_BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5);
    /** Buckets for sync runs (seconds to the two-hour run limit). */
    private static final Duration[] RUN_BUCKETS = seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200);

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<UUID, Long> runStarts = new ConcurrentHashMap<>();

    public PlatformMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Webhook events stored ({@code accepted}) or dropped as {@code duplicate}, by connector. */
    public void webhookEvents(String connector, String outcome, long events) {
        count("junction.webhook.events", "Webhook events received, by connector and outcome (accepted, duplicate)",
                events, "connector", connector, "outcome", outcome);
    }

    /**
     * Webhook requests by connector and outcome: {@code accepted}, {@code refused_signature},
     * {@code refused_size}, {@code unknown_url}, {@code unauthenticated}, {@code malformed},
     * {@code unavailable}. A refused request's events are never read, so refusals count requests.
     */
    public void webhookRequest(String connector, String outcome) {
        count("junction.webhook.requests", "Webhook requests, by connector and outcome", 1,
                "connector", connector == null ? "unknown" : connector, "outcome", outcome);
    }

    /** Tracking API messages by outcome: {@code accepted}, {@code duplicate}, {@code invalid}. */
    public void trackedMessages(String outcome, long messages) {
        count("junction.tracking.messages", "Tracking API messages, by outcome", messages, "outcome", outcome);
    }

    /**
     * Delivery attempts' results by connector and outcome: {@code delivered}, {@code retried},
     * {@code rate_limited}, {@code dead}, {@code filtered}, {@code skipped}.
     */
    public void deliveries(String connector, String outcome, long events) {
        count("junction.deliveries", "Event deliveries, by connector and outcome", events, "connector", connector, "outcome", outcome);
    }

    /**
     * The committed results of one delivery batch, by the event log's status of each event
     * ({@code retrying} counts as {@code retried}: the retry is scheduled).
     */
    public void deliveryAttempts(String connector, List<String> logStatuses) {
        Map<String, Long> byOutcome = new java.util.TreeMap<>();
        logStatuses.forEach(status -> byOutcome.merge("retrying".equals(status) ? "retried" : status, 1L, Long::sum));
        byOutcome.forEach((outcome, n) -> deliveries(connector, outcome, n));
    }

    /** A replica starts executing an attempt of a sync run (its duration is measured from here). */
    public void syncRunStarted(UUID runId) {
        runStarts.put(runId, System.nanoTime());
    }

    /**
     * A sync run attempt this replica executed ended with {@code status} ({@code succeeded},
     * {@code partially_succeeded}, {@code failed}, {@code retrying}, or {@code lost}: another
     * replica took the run over, and this attempt's end changed nothing).
     */
    public void syncRunEnded(String kind, UUID runId, String status, long items) {
        Long started = runStarts.remove(runId);
        syncRun(kind, status, started == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started), items);
    }

    /** Forgets the start of an attempt that did not end through {@link #syncRunEnded} (its sync was deleted meanwhile). */
    public void syncRunLeft(UUID runId) {
        runStarts.remove(runId);
    }

    private void syncRun(String kind, String status, Duration took, long items) {
        count("junction.sync.runs", "Sync run attempts ended, by kind and status", 1, "kind", kind, "status", status);
        timer("junction.sync.run.duration", "Sync run attempt duration", RUN_BUCKETS, "kind", kind, "status", status).record(took);
        count("junction.sync.items", "Items (members or rows) written by sync runs, by kind", items, "kind", kind);
    }

    /**
     * A plugin call ended: outcome {@code ok}, {@code error} (the connector's own failure),
     * {@code timeout}, {@code crashed} (an unexpected exception) or {@code unavailable} (the
     * connector was already disabled).
     */
    public void pluginCall(String connector, String method, String outcome, Duration took) {
        timer("junction.plugin.call.duration", "Plugin call duration, by connector, method and outcome", CALL_BUCKETS,
                "connector", connector, "method", method, "outcome", outcome).record(took);
    }

    /** A connector was disabled for a defect ({@code reason}: {@code timeout} or {@code crashed}). */
    public void pluginDisabled(String connector, String reason) {
        count("junction.plugin.disables", "Connectors disabled for a defect, by connector and reason", 1,
                "connector", connector, "reason", reason);
    }

    /** One outbound HTTP attempt of a connector, by the response's status class (or {@code error}). */
    public void vendorCall(String connector, Integer status, Duration took) {
        String statusClass = status == null ? "error" : (status / 100) + "xx";
        timer("junction.vendor.http.duration", "Connectors' outbound HTTP attempts, by connector and status class", CALL_BUCKETS,
                "connector", connector, "status_class", statusClass).record(took);
    }

    /** Time to write one batch into the event log (its transaction's statements, not the commit). */
    public void eventLogWrite(String kind, Duration took) {
        timer("junction.eventlog.write.duration", "Event log batch writes, by kind (record, webhook)", WRITE_BUCKETS,
                "kind", kind).record(took);
    }

    /** Rows removed by retention ({@code kind}: event_log, webhook_dedupe, tracked_event, event_log_partition). */
    public void retention(String kind, long removed) {
        count("junction.retention.removed", "Rows or partitions removed by retention, by kind", removed, "kind", kind);
    }

    /**
     * Creates the connector's counters at zero, so that the first event of each outcome shows as
     * an increase (Prometheus' rate() cannot see a series' first value as one).
     */
    public void initialize(String connector) {
        for (String outcome : new String[] {"accepted", "duplicate"}) {
            count("junction.webhook.events", "Webhook events received, by connector and outcome (accepted, duplicate)", 0,
                    "connector", connector, "outcome", outcome);
        }
        for (String outcome : new String[] {"accepted", "refused_signature", "unauthenticated", "malformed", "unavailable"}) {
            count("junction.webhook.requests", "Webhook requests, by connector and outcome", 0, "connector", connector, "outcome", outcome);
        }
        for (String outcome : new String[] {"delivered", "retried", "rate_limited", "dead", "filtered", "skipped"}) {
            count("junction.deliveries", "Event deliveries, by connector and outcome", 0, "connector", connector, "outcome", outcome);
        }
    }

    /** Creates the platform-wide counters at zero (see {@link #initialize(String)}). */
    public void initialize() {
        for (String outcome : new String[] {"accepted", "duplicate", "invalid"}) {
            count("junction.tracking.messages", "Tracking API messages, by outcome", 0, "outcome", outcome);
        }
        for (String outcome : new String[] {"refused_size", "unknown_url"}) {
            count("junction.webhook.requests", "Webhook requests, by connector and outcome", 0, "connector", "unknown", "outcome", outcome);
        }
    }

    /** Registers a gauge read on every scrape (cheap suppliers only: in-memory values). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }

    /** Registers a gauge in a base unit (Prometheus adds the unit to the name). */
    public void gauge(String name, String description, String baseUnit, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).baseUnit(baseUnit).strongReference(true).register(registry);
    }

    /** A gauge per connector (bounded: one series per installed connector plugin). */
    public void connectorGauge(String name, String description, String connector, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag("connector", connector).strongReference(true).register(registry);
    }

    private void count(String name, String description, long amount, String... tags) {
        if (amount < 0) {
            return;
        }
        Counter counter = counters.computeIfAbsent(key(name, tags),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
        if (amount > 0) {
            counter.increment(amount);
        }
    }

    private Timer timer(String name, String description, Duration[] buckets, String... tags) {
        return timers.computeIfAbsent(key(name, tags), k -> Timer.builder(name).description(description).tags(tags)
                .serviceLevelObjectives(buckets).register(registry));
    }

    private static String key(String name, String... tags) {
        return name + "|" + String.join("|", tags);
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
        }
        return d;
    }
}
