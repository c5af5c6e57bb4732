package dev.junction.platform.delivery;

import dev.junction.platform.tracing.Tracing;
import dev.junction.platform.metrics.PlatformMetrics;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.db.NotificationHandler;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.eventlog.TrackedMessageName;
import dev.junction.platform.installation.ConnectorSession;
import dev.junction.platform.installation.ConnectorSessions;
import dev.junction.platform.installation.Installation;
import dev.junction.platform.plugin.ConnectorUnavailableException;
import dev.junction.platform.profile.Profile;
import dev.junction.platform.profile.ProfileStore;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.runtime.http.Masking;
import dev.junction.spi.Capability;
import dev.junction.spi.DeliveryMode;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.destination.DeliveryOutcome;
import dev.junction.spi.destination.DestinationEvent;
import dev.junction.spi.destination.EventDestination;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers the outbox. Each worker thread leases a lane ({@link DeliveryQueue}), hands its oldest
 * pending events to the connector in one call, records every event's outcome and the attempt in
 * the live event log, and releases the lane, all in one transaction. Workers on every replica
 * share the outbox; notifications from ingestion wake idle ones at once.
 *
 * <p>Failures: a retriable failure (vendor down, 5xx, timeouts) counts an attempt for each event
 * of the batch and holds the lane back with exponential backoff and jitter; a rate limit
 * ({@code rate_limited} with the vendor's reset time) holds the lane until then without counting
 * an attempt; a permanent failure, or the attempt or age limit, dead-letters the events. A lane
 * held back holds all its users' later events too, which is what keeps each user's events in order.
 */
@Singleton
class DeliveryWorkers implements NotificationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkers.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /** How long a lane waits while its installation is disabled or its connector unavailable. */
    static final Duration HOLD = Duration.ofSeconds(30);

    private final Tracing tracing;
    private final DeliveryQueue queue;
    private final DeliveryRepository deliveries;
    private final ConnectorSessions sessions;
    private final ProfileStore profiles;
    private final EventLogService eventLog;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final DeliverySettings settings;
    private final PlatformMetrics metrics;
    private final String replica = "replica-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final Object signal = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong deliveredCount = new AtomicLong();
    private boolean signalled;
    private volatile boolean running;

    DeliveryWorkers(DeliveryQueue queue, DeliveryRepository deliveries, ConnectorSessions sessions, ProfileStore profiles, EventLogService eventLog, TransactionOperations<Connection> tx,
                    Clock clock, DeliverySettings settings, PlatformMetrics metrics, Tracing tracing) {
        this.tracing = tracing;
        this.metrics = metrics;
        this.queue = queue;
        this.deliveries = deliveries;
        this.sessions = sessions;
        this.profiles = profiles;
        this.eventLog = eventLog;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    @EventListener
    void start(StartupEvent event) {
        synchronized (threads) {
            if (running) {
                return;
            }
            running = true;
            for (int i = 0; i < settings.workers(); i++) {
                String worker = replica + "-" + i;
                Thread t = new Thread(() -> loop(worker), "delivery-worker-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
    }

    @Override
    public String channel() {
        return DeliveryOutbox.CHANNEL;
    }

    @Override
    public void onNotification(String payload) {
        wake();
    }

    @Override
    public void onReconnected(Instant lostAt) {
        wake(); // nothing is lost: the outbox is in the database; just look again
    }

    /** Events this replica delivered since it started (for tests and metrics). */
    public long deliveredCount() {
        return deliveredCount.get();
    }

    void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    private void loop(String worker) {
        while (running) {
            boolean worked;
            try {
                worked = deliverNextLane(worker);
            } catch (RuntimeException e) {
                LOG.warn("Delivery worker {} failed: {}", worker, e.toString());
                worked = false;
            }
            if (!worked) {
                awaitWork();
            }
        }
    }

    private void awaitWork() {
        synchronized (signal) {
            if (!signalled) {
                try {
                    signal.wait(settings.pollInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            signalled = false;
        }
    }

    /** Leases one lane and delivers a batch of it; false when no lane has work. */
    boolean deliverNextLane(String worker) {
        Instant now = now();
        // twice the call's time limit: the call is time-boxed, the bookkeeping around it is short but not
        Optional<DeliveryQueue.Lease> lease = tx.executeWrite(s -> queue.claim(worker, now,
                now.plus(settings.callTimeout().multipliedBy(2))));
        if (lease.isEmpty()) {
            return false;
        }
        try {
            tracing.span("delivery.batch", () -> {
                deliver(lease.get());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("Delivering lane {} of installation {} failed", lease.get().lane(), lease.get().installationId(), e);
            release(lease.get(), now().plus(HOLD), lease.get().failures());
        }
        return true;
    }

    private void deliver(DeliveryQueue.Lease lease) {
        TenantId tenant = lease.tenant();
        ConnectorSessions.Opening opening = sessions.open(tenant, lease.installationId());
        if (opening instanceof ConnectorSessions.Gone) {
            release(lease, now(), 0); // deleted: its deliveries went with it
            return;
        }
        if (!(opening instanceof ConnectorSessions.Opened opened)) {
            release(lease, now().plus(HOLD), lease.failures()); // kept until the installation or connector is back
            return;
        }
        ConnectorSession session = opened.session();
        Installation installation = session.installation();
        Optional<EventDestination> destination = session.capability(Capability.EVENT_DESTINATION, EventDestination.class);
        int batchSize = destination.map(d -> Math.max(1, Math.min(d.maxBatchSize(), DeliverySettings.MAX_BATCH))).orElse(DeliverySettings.MAX_BATCH);
        List<PendingDelivery> batch = tx.executeRead(s -> deliveries.pendingInLane(tenant, installation.id(), lease.lane(), batchSize));
        if (batch.isEmpty()) {
            release(lease, now(), lease.failures());
            return;
        }
        if (destination.isEmpty()) {
            finish(lease, batch, row -> settle(row, "dead", true, null, "The " + installation.connector()
                    + " connector no longer delivers events"), now(), 0, installation);
            return;
        }
        if (!DeliveryMode.SERVER_SIDE.wireName().equals(installation.deliveryMode())) {
            finish(lease, batch, row -> settle(row, "filtered", false, null, "The installation's delivery mode is "
                    + installation.deliveryMode() + ", not server_side"), now(), 0, installation);
            return;
        }
        Set<String> secrets = session.secretValues();
        List<DestinationEvent> events = toEvents(tenant, batch);
        try {
            List<DeliveryOutcome> outcomes = session.invoke("deliver", settings.callTimeout(),
                    context -> destination.get().deliver(context, events));
            applyOutcomes(lease, installation, batch, outcomes == null ? List.of() : outcomes, secrets);
        } catch (RetriableConnectorException e) {
            retryLater(lease, installation, batch, e, Masking.mask(e.getMessage(), secrets));
        } catch (PermanentConnectorException e) {
            String reason = Masking.mask(e.getMessage(), secrets);
            finish(lease, batch, row -> settle(row, "dead", true, null, reason), now(), 0, installation);
        } catch (ConnectorUnavailableException e) {
            release(lease, now().plus(HOLD), lease.failures());
        } catch (dev.junction.spi.ConnectorException e) {
            throw new IllegalStateException("unknown connector exception kind " + e.getClass().getName());
        }
    }

    private void applyOutcomes(DeliveryQueue.Lease lease, Installation installation, List<PendingDelivery> batch,
                               List<DeliveryOutcome> outcomes, Set<String> secrets) {
        Map<String, DeliveryOutcome> byEvent = new HashMap<>();
        for (DeliveryOutcome o : outcomes) {
            if (o != null && o.eventId() != null && o.status() != null) {
                byEvent.putIfAbsent(o.eventId(), o);
            }
        }
        Instant now = now();
        boolean anyMissing = batch.stream().anyMatch(row -> !byEvent.containsKey(row.messageId()));
        int failures = anyMissing ? lease.failures() + 1 : 0;
        finish(lease, batch, row -> {
            DeliveryOutcome o = byEvent.get(row.messageId());
            if (o == null) {
                return failedAttempt(row, "The connector reported no outcome for this event", now);
            }
            String reason = o.reason() == null ? null : Masking.mask(o.reason(), secrets);
            return switch (o.status()) {
                case DELIVERED -> settle(row, "delivered", true, o.httpStatus(), null);
                case FILTERED -> settle(row, "filtered", true, o.httpStatus(), reason);
                case SKIPPED -> settle(row, "skipped", true, o.httpStatus(), reason);
                case REJECTED -> settle(row, "dead", true, o.httpStatus(), reason);
            };
        }, anyMissing ? now.plus(settings.backoff(failures, ThreadLocalRandom.current().nextDouble())) : now, failures, installation);
    }

    private void retryLater(DeliveryQueue.Lease lease, Installation installation, List<PendingDelivery> batch,
                            RetriableConnectorException e, String message) {
        Instant now = now();
        if ("rate_limited".equals(e.code()) && e.retryAfter() != null) {
            Duration wait = e.retryAfter().plusMillis(ThreadLocalRandom.current().nextLong(250));
            finish(lease, batch, row -> new Attempt(new DeliveryRepository.Result(row.id(), "pending", false, 429, message),
                    "rate_limited", row), now.plus(wait), lease.failures(), installation);
            return;
        }
        int failures = lease.failures() + 1;
        finish(lease, batch, row -> failedAttempt(row, message, now),
                now.plus(settings.backoff(failures, ThreadLocalRandom.current().nextDouble())), failures, installation);
    }

    /** A failed attempt: retried later, unless this was the last attempt or the event is too old. */
    private Attempt failedAttempt(PendingDelivery row, String error, Instant now) {
        int attempts = row.attempts() + 1;
        if (attempts >= settings.maxAttempts()) {
            return settle(row, "dead", true, null, "Gave up after " + attempts + " attempts: " + error);
        }
        if (row.queuedAt().plus(settings.maxAge()).isBefore(now)) {
            return settle(row, "dead", true, null, "Gave up after " + settings.maxAge().toHours() + " h of retries: " + error);
        }
        return new Attempt(new DeliveryRepository.Result(row.id(), "pending", true, null, error), "retrying", row);
    }

    /** One event's result and how the event log shows it. */
    private record Attempt(DeliveryRepository.Result result, String logStatus, PendingDelivery row) { }

    private static Attempt settle(PendingDelivery row, String status, boolean countsAsAttempt, Integer httpStatus, String reason) {
        return new Attempt(new DeliveryRepository.Result(row.id(), status, countsAsAttempt, httpStatus, reason), status, row);
    }

    /** Records every event's attempt and the event log entries, and releases the lane, in one transaction. */
    private void finish(DeliveryQueue.Lease lease, List<PendingDelivery> batch, java.util.function.Function<PendingDelivery, Attempt> decide,
                        Instant readyAt, int failures, Installation installation) {
        List<Attempt> attempts = batch.stream().map(decide).toList();
        List<NewEvent> log = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            PendingDelivery row = a.row();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("delivery_id", row.id());
            payload.put("message_id", row.messageId());
            payload.put("type", row.type());
            payload.put("connector", installation.connector());
            payload.put("attempt", row.attempts() + (a.result().countsAsAttempt() ? 1 : 0));
            if (a.result().reason() != null) {
                payload.put("reason", a.result().reason());
            }
            log.add(new NewEvent(installation.id(), NewEvent.Direction.OUTBOUND, "delivery_attempt", displayName(row), a.logStatus(),
                    a.result().httpStatus(), row.occurredAt(), row.userId() != null ? row.userId() : row.anonymousId(), null,
                    PlatformJson.write(payload)));
        }
        Instant now = now();
        tx.executeWrite(s -> {
            deliveries.record(lease.tenant(), attempts.stream().map(Attempt::result).toList(), now);
            eventLog.record(lease.tenant(), log);
            queue.release(lease, readyAt, failures);
            return null;
        });
        deliveredCount.addAndGet(attempts.stream().filter(a -> "delivered".equals(a.result().status())).count());
        metrics.deliveryAttempts(installation.connector(), attempts.stream().map(Attempt::logStatus).toList()); // after the commit
    }

    private void release(DeliveryQueue.Lease lease, Instant readyAt, int failures) {
        tx.executeWrite(s -> queue.release(lease, readyAt, failures));
    }

    private List<DestinationEvent> toEvents(TenantId tenant, List<PendingDelivery> batch) {
        Set<String> users = new LinkedHashSet<>();
        batch.forEach(row -> users.add(row.userKey()));
        Map<String, Profile> known = profiles.find(tenant, users);
        List<DestinationEvent> out = new ArrayList<>(batch.size());
        for (PendingDelivery row : batch) {
            out.add(SegmentDestinationEvents.of(row.messageId(), row.type(), row.event(), row.userId(), row.anonymousId(),
                    row.occurredAt(), parse(row.messageJson()), known.get(row.userKey())));
        }
        return out;
    }

    private static String displayName(PendingDelivery row) {
        return TrackedMessageName.of(row.type(), row.event());
    }

    private static Map<String, Object> parse(String json) {
        try {
            return PlatformJson.MAPPER.readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    @PreDestroy
    void stop() {
        running = false;
        synchronized (threads) {
            threads.forEach(Thread::interrupt);
        }
    }
}
