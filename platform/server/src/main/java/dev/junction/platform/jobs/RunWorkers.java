package dev.junction.platform.jobs;

import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.tracing.Tracing;
import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This replica's workers on a {@link RunQueue}: at most {@code concurrency} runs at once, each on
 * its own thread. A {@link #poll} (every poll interval from {@link #start}) beats for the runs executing here, requeues those of replicas
 * that stopped beating, queues the schedules that are due, and claims runs while slots are free;
 * {@link #wake} claims at once (after a run was requested). Each run executes in a trace span
 * {@code sync.run} with the queue's {@code kind}, and its duration is measured from its claim
 * (the runner reports its end).
 *
 * @param <C> the queue's claim
 */
public final class RunWorkers<C extends RunClaim> {

    private static final Logger LOG = LoggerFactory.getLogger(RunWorkers.class);
    /** The first poll after the start: the server is up by then. */
    private static final Duration FIRST_POLL = Duration.ofSeconds(2);

    private final String what;
    private final String kind;
    private final Tracing tracing;
    private final PlatformMetrics metrics;
    private final RunQueue<C> queue;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final Duration staleAfter;
    private final Consumer<Instant> scheduleDue;
    private final Consumer<C> execute;
    private final String worker = "worker-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final ExecutorService executor;
    private final ScheduledExecutorService poller;
    private final Semaphore slots;
    /** Claims this replica is executing (a run taken over and claimed again here may briefly have two). */
    private final Set<C> active = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /**
     * @param kind        what syncs ("cohort", "object"), for spans, thread names and logs
     * @param scheduleDue queues the runs of the schedules due at the given time (in a transaction of its own)
     * @param execute     executes one claimed run to its end (or back to the queue)
     */
    public RunWorkers(String kind, int concurrency, RunQueue<C> queue, TransactionOperations<Connection> tx, Clock clock,
                      Duration staleAfter, Tracing tracing, PlatformMetrics metrics, Consumer<Instant> scheduleDue, Consumer<C> execute) {
        this.kind = kind;
        this.what = kind + " sync";
        this.tracing = tracing;
        this.metrics = metrics;
        this.queue = queue;
        this.tx = tx;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.scheduleDue = scheduleDue;
        this.execute = execute;
        this.slots = new Semaphore(concurrency);
        String threadName = what.replace(' ', '-') + "-run";
        this.executor = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, kind + "-sync-poll");
            t.setDaemon(true);
            return t;
        });
    }

    /** Polls every {@code pollInterval} from two seconds on, until {@link #stop}. */
    public void start(Duration pollInterval) {
        poller.scheduleWithFixedDelay(this::poll, FIRST_POLL.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The name this replica's claims carry in {@code claimed_by}. */
    public String worker() {
        return worker;
    }

    /** One pass: heartbeat, resume orphans, queue due schedules, claim what fits. */
    public void poll() {
        if (stopped) {
            return;
        }
        try {
            Instant now = Instant.now(clock);
            tx.executeWrite(s -> {
                queue.heartbeat(worker, activeRuns(), now);
                int resumed = queue.recoverStale(now.minus(staleAfter), now);
                if (resumed > 0) {
                    LOG.warn("Resumed {} {} run(s) of a replica that stopped", resumed, what);
                }
                return null;
            });
            scheduleDue.accept(now);
            wake();
        } catch (RuntimeException e) {
            LOG.warn("{} poll failed: {}", what, e.getMessage());
        }
    }

    /** Claims and starts queued runs while this replica has free slots. */
    public void wake() {
        while (!stopped && slots.tryAcquire()) {
            Optional<C> claim;
            try {
                claim = tx.executeWrite(s -> queue.claim(worker, Instant.now(clock)));
            } catch (RuntimeException e) {
                // e.g. another replica claimed a run of the same sync at the same moment (unique index)
                LOG.debug("Could not claim a {} run: {}", what, e.getMessage());
                claim = Optional.empty();
            }
            if (claim.isEmpty()) {
                slots.release();
                return;
            }
            C c = claim.get();
            active.add(c);
            executor.execute(() -> {
                metrics.syncRunStarted(c.runId());
                try {
                    tracing.span("sync.run", () -> {
                        execute.accept(c);
                        return null;
                    }, "kind", kind);
                } finally {
                    metrics.syncRunLeft(c.runId());
                    active.remove(c);
                    slots.release();
                }
            });
        }
    }

    /**
     * Puts a claimed run back in the queue, to be claimed again after {@code wait}, in a transaction
     * of its own; false, and nothing changed, when the run is no longer this attempt's.
     */
    public boolean requeue(C claim, String error, Duration wait) {
        return tx.executeWrite(s -> queue.requeue(claim, error, Instant.now(clock).plus(wait)));
    }

    /** The runs executing on this replica. */
    public List<UUID> activeRuns() {
        return active.stream().map(RunClaim::runId).distinct().toList();
    }

    /** Stops claiming and interrupts the runs executing here (their heartbeats stop: another replica resumes them). */
    public void stop() {
        stopped = true;
        poller.shutdownNow();
        executor.shutdownNow();
    }
}
