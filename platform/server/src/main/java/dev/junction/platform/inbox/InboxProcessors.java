package dev.junction.platform.inbox;

import dev.junction.platform.tenancy.TenantId;
import io.micronaut.context.BeanContext;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Processor threads (on every replica): each takes the next inbox entry (tenants in turn, the
 * oldest entry of a stream only), hands it to its kind's {@link InboxHandler} and deletes it, all in
 * one transaction. A crash anywhere leaves the entry in the inbox for the next processor; nothing
 * committed is done twice. Woken at once by an append on this replica, else every poll interval.
 *
 * <p>Fairness bound: with {@code n} tenants waiting, a tenant's oldest entry waits for at most
 * {@code n - 1} other entries per processor before its own (each processor keeps its own turn).
 */
@Singleton
class InboxProcessors {

    private static final Logger LOG = LoggerFactory.getLogger(InboxProcessors.class);
    /** Passing failures are retried with a backoff up to this; after MAX_ATTEMPTS the entry is given up. */
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    static final int MAX_ATTEMPTS = 20;

    private final InboxRepository inbox;
    private final TransactionOperations<Connection> tx;
    private final InboxSettings settings;
    private final BeanContext beans;
    private final Clock clock;
    /** One permit per wake-up: an idle processor takes one, or gives up waiting after the poll interval. */
    private final Semaphore wakeUps = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile Map<String, InboxHandler> handlers = Map.of();
    private volatile boolean running;

    InboxProcessors(InboxRepository inbox, TransactionOperations<Connection> tx, InboxSettings settings, BeanContext beans, Clock clock) {
        this.inbox = inbox;
        this.tx = tx;
        this.settings = settings;
        this.beans = beans;
        this.clock = clock;
    }

    @EventListener
    synchronized void start(StartupEvent event) {
        // looked up here, not injected: handlers use services that append to the inbox
        handlers = beans.getBeansOfType(InboxHandler.class).stream()
                .collect(Collectors.toUnmodifiableMap(InboxHandler::kind, Function.identity()));
        running = true;
        while (threads.size() < settings.processors()) {
            Thread t = new Thread(this::loop, "ingest-processor-" + threads.size());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Something was appended: an idle processor looks at once instead of at its next poll. */
    void wake() {
        if (wakeUps.availablePermits() < settings.processors()) {
            wakeUps.release();
        }
    }

    private void loop() {
        TenantId turn = null;
        while (running) {
            Optional<TenantId> served;
            try {
                served = processNext(turn);
            } catch (RuntimeException e) {
                LOG.warn("Ingest processor failed: {}", e.toString());
                served = Optional.empty();
            }
            if (served.isPresent()) {
                turn = served.get();
            } else {
                turn = null;
                awaitWork();
            }
        }
    }

    /** Processes one entry of the first tenant after {@code turn}; its tenant, or empty when idle. */
    Optional<TenantId> processNext(TenantId turn) {
        Instant now = now();
        Optional<InboxEntry> failed;
        try {
            Optional<InboxEntry> done = tx.executeWrite(s -> {
                Optional<InboxEntry> next = inbox.claimNext(turn, now);
                next.ifPresent(head -> processAndDelete(head, now));
                return next;
            });
            return done.map(InboxEntry::tenant);
        } catch (Failed f) {
            failed = Optional.of(f.entry);
            LOG.warn("Could not process {} (attempt {}): {}", f.entry, f.entry.attempts() + 1, f.getCause().toString());
        }
        InboxEntry entry = failed.get();
        tx.executeWrite(s -> {
            inbox.defer(entry.tenant(), entry.id(), now.plus(backoff(entry.attempts())));
            return null;
        });
        return Optional.of(entry.tenant());
    }

    /**
     * Processes the claimed head with the entries that follow it in its stream (same kind, up to
     * {@code junction.ingest.batch-events} events), so that small requests are stored in one
     * transaction; a failure rolls all of them back and defers the head.
     */
    private void processAndDelete(InboxEntry head, Instant now) {
        InboxHandler handler = handlers.get(head.kind());
        if (handler == null) {
            throw new Failed(head, new IllegalStateException("no handler for " + head.kind()));
        }
        if (head.attempts() >= MAX_ATTEMPTS) {
            handler.giveUp(head, "failed " + head.attempts() + " times");
            inbox.delete(head.tenant(), List.of(head.id()));
            return;
        }
        List<InboxEntry> batch = new ArrayList<>(List.of(head));
        long events = head.events();
        for (InboxEntry next : inbox.following(head.tenant(), head, now, settings.batchRequests())) {
            if (events + next.events() > settings.batchEvents()) {
                break;
            }
            batch.add(next);
            events += next.events();
        }
        try {
            handler.process(batch);
        } catch (RuntimeException e) {
            throw new Failed(head, e);
        }
        inbox.delete(head.tenant(), batch.stream().map(InboxEntry::id).toList());
    }

    private static Duration backoff(int attempts) {
        Duration d = Duration.ofMillis(500L << Math.min(attempts, 10));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private void awaitWork() {
        try {
            wakeUps.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
    }

    /** Rolls the processing transaction back, carrying the entry to defer. */
    private static final class Failed extends RuntimeException {
        private final transient InboxEntry entry;

        Failed(InboxEntry entry, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.entry = entry;
        }
    }
}
