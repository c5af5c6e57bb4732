package dev.junction.platform.inbox;

import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.tenancy.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inbox's backlog per tenant and in total, read from the database every
 * {@code junction.ingest.backlog-refresh} (all replicas' work counts) plus what this replica
 * acknowledged since: the bounds are checked against it without a query on the request path, so
 * they may be overshot by what all replicas acknowledge within one refresh.
 */
@Singleton
class Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);

    /** Waiting requests and events, and when the oldest was received (null: none waiting). */
    record Size(long requests, long events, Instant oldestReceivedAt) {
        static final Size EMPTY = new Size(0, 0, null);

        Size plus(long moreRequests, long moreEvents, Instant receivedAt) {
            return new Size(requests + moreRequests, events + moreEvents, oldestReceivedAt != null ? oldestReceivedAt : receivedAt);
        }

        /** How long the oldest has waited, as of {@code now}. */
        Duration oldestAge(Instant now) {
            return oldestReceivedAt == null || oldestReceivedAt.isAfter(now) ? Duration.ZERO : Duration.between(oldestReceivedAt, now);
        }
    }

    private final InboxRepository inbox;
    private final TransactionOperations<Connection> tx;
    private final InboxSettings settings;
    private final PlatformMetrics metrics;
    private final MeterRegistry registry;
    private final Clock clock;
    private volatile Map<TenantId, Size> byTenant = Map.of();
    private volatile Size total = Size.EMPTY;
    private final Map<TenantId, AtomicLong> acknowledgedSince = new ConcurrentHashMap<>();
    private volatile MultiGauge tenantEvents;
    private volatile MultiGauge tenantAge;

    Backlog(InboxRepository inbox, TransactionOperations<Connection> tx, InboxSettings settings, PlatformMetrics metrics,
            MeterRegistry registry, Clock clock) {
        this.inbox = inbox;
        this.tx = tx;
        this.settings = settings;
        this.metrics = metrics;
        this.registry = registry;
        this.clock = clock;
    }

    @EventListener
    void registerGauges(StartupEvent event) {
        metrics.gauge("junction.ingest.backlog.requests", "Acknowledged requests waiting in the ingest inbox", () -> total.requests());
        metrics.gauge("junction.ingest.backlog.events", "Acknowledged events waiting in the ingest inbox", () -> total.events());
        metrics.gauge("junction.ingest.backlog.oldest.age", "How long the oldest waiting request has waited", "seconds",
                () -> total.oldestAge(Instant.now(clock)).toMillis() / 1000.0);
        tenantEvents = MultiGauge.builder("junction.ingest.tenant.backlog.events")
                .description("Acknowledged events waiting in the ingest inbox, per tenant with a backlog").register(registry);
        tenantAge = MultiGauge.builder("junction.ingest.tenant.backlog.oldest.age").baseUnit("seconds")
                .description("How long a tenant's oldest waiting request has waited").register(registry);
        refresh();
    }

    /** Refuses a request past the tenant's bound (429) or the total bound (503). */
    void admit(TenantId tenant, int events) {
        long tenantEventsNow = of(tenant).events();
        if (tenantEventsNow > 0 && tenantEventsNow + events > settings.maxEventsPerTenant()) {
            throw InboxFullException.tenant(tenantEventsNow, settings.maxEventsPerTenant(), settings.retryAfterTenant());
        }
        long all = total.events() + acknowledgedSince.values().stream().mapToLong(AtomicLong::get).sum();
        if (all > 0 && all + events > settings.maxEvents()) {
            throw InboxFullException.total(settings.retryAfterTotal());
        }
    }

    void acknowledged(TenantId tenant, int events) {
        acknowledgedSince.computeIfAbsent(tenant, t -> new AtomicLong()).addAndGet(events);
    }

    /** A tenant's backlog (as of the last refresh plus what this replica acknowledged since). */
    Size of(TenantId tenant) {
        Size known = byTenant.getOrDefault(tenant, Size.EMPTY);
        AtomicLong since = acknowledgedSince.get(tenant);
        return since == null || since.get() == 0 ? known : known.plus(0, since.get(), Instant.now(clock));
    }

    /** The backlog of all tenants. */
    Size total() {
        return total;
    }

    @Scheduled(fixedDelay = "${junction.ingest.backlog-refresh:200ms}", initialDelay = "1s")
    void refresh() {
        List<InboxRepository.TenantBacklog> rows;
        try {
            rows = tx.executeRead(s -> inbox.backlog());
        } catch (RuntimeException e) {
            LOG.debug("Could not read the ingest backlog: {}", e.toString());
            return;
        }
        acknowledgedSince.clear(); // what was acknowledged before the read is in it
        Map<TenantId, Size> next = new HashMap<>();
        Size sum = Size.EMPTY;
        Instant oldest = null;
        for (InboxRepository.TenantBacklog r : rows) {
            next.put(r.tenant(), new Size(r.requests(), r.events(), r.oldestReceivedAt()));
            sum = new Size(sum.requests() + r.requests(), sum.events() + r.events(), null);
            oldest = oldest == null || r.oldestReceivedAt().isBefore(oldest) ? r.oldestReceivedAt() : oldest;
        }
        byTenant = Map.copyOf(next);
        total = new Size(sum.requests(), sum.events(), oldest);
        publishTenantGauges(next);
    }

    private void publishTenantGauges(Map<TenantId, Size> sizes) {
        if (tenantEvents == null) {
            return;
        }
        Instant now = Instant.now(clock);
        tenantEvents.register(sizes.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("tenant", e.getKey().value().toString()),
                e.getValue().events())).toList(), true);
        tenantAge.register(sizes.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("tenant", e.getKey().value().toString()),
                e.getValue().oldestAge(now).toMillis() / 1000.0)).toList(), true);
    }
}
