package dev.junction.platform.cohort;

import dev.junction.platform.tracing.Tracing;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.installation.ConnectorSession;
import dev.junction.platform.installation.ConnectorSessions;
import dev.junction.platform.jobs.RetryPolicy;
import dev.junction.platform.jobs.RunLostException;
import dev.junction.platform.jobs.RunWorkers;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.spi.Capability;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.cohort.CohortSyncSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs cohort syncs. Every replica polls the queue, starts due schedules, claims runs (never two of
 * one sync at once, see {@link CohortSyncRunQueue}) and executes them: census and difference in SQL, then
 * the connector applies the difference. Transient failures requeue the run with backoff; a replica
 * that dies stops beating and its runs are resumed elsewhere.
 */
@Context // polls from the start
class CohortSyncRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CohortSyncRunner.class);
    private static final ObjectMapper JSON = PlatformJson.MAPPER;
    /** Runs executing at once on one replica. */
    private static final int CONCURRENT_RUNS = 2;
    /** Attempts before a run that keeps failing transiently is given up. */
    static final int MAX_ATTEMPTS = 5;
    /** A running run whose heartbeat is older than this is resumed by another worker. */
    static final Duration STALE_AFTER = Duration.ofSeconds(60);

    private final PlatformMetrics metrics;
    private final CohortSyncRunQueue queue;
    private final CohortSyncRepository syncs;
    private final CohortSyncRunRepository runs;
    private final CohortSyncStateRepository state;
    private final CohortService cohorts;
    private final ConnectorSessions sessions;
    private final EventLogService eventLog;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final Duration runTimeout;
    private final RetryPolicy retries;
    private final RunWorkers<CohortSyncRunQueue.Claim> workers;

    CohortSyncRunner(CohortSyncRunQueue queue, CohortSyncRepository syncs, CohortSyncRunRepository runs, CohortSyncStateRepository state, CohortService cohorts,
               ConnectorSessions sessions, EventLogService eventLog,
               TransactionOperations<Connection> tx, Clock clock,
               CohortSyncRunSettings settings, PlatformMetrics metrics, Tracing tracing) {
        this.metrics = metrics;
        this.retries = new RetryPolicy(MAX_ATTEMPTS, settings.retryBase(), Duration.ofMinutes(10));
        this.queue = queue;
        this.syncs = syncs;
        this.runs = runs;
        this.state = state;
        this.cohorts = cohorts;
        this.sessions = sessions;
        this.eventLog = eventLog;
        this.tx = tx;
        this.clock = clock;
        this.runTimeout = settings.runTimeout();
        this.workers = new RunWorkers<>("cohort", CONCURRENT_RUNS, queue, tx, clock, STALE_AFTER, tracing, metrics, this::scheduleDue, this::execute);
        workers.start(settings.pollInterval());
    }

    /** Claims and starts queued runs while this replica has free slots. */
    void wake() {
        workers.wake();
    }

    private void scheduleDue(Instant now) {
        tx.executeWrite(s -> {
            for (Object[] due : queue.lockDue(now, 100)) {
                TenantId tenant = (TenantId) due[0];
                UUID syncId = (UUID) due[1];
                Cadence cadence = Cadence.parse((String) due[2]);
                if (runs.findQueued(tenant, syncId).isEmpty()) {
                    runs.insertQueued(tenant, UUID.randomUUID(), syncId, "scheduled", now);
                }
                syncs.setNextRun(tenant, syncId, cadence.nextAfter(now).orElse(null));
            }
            return null;
        });
    }

    /** Executes one claimed run to its end (or back to the queue). */
    void execute(CohortSyncRunQueue.Claim claim) {
        TenantId tenant = claim.tenant();
        Optional<CohortSyncDefinition> found = tx.executeRead(s -> syncs.find(tenant, claim.syncId()));
        if (found.isEmpty()) {
            return; // deleted meanwhile: its runs went with it
        }
        CohortSyncDefinition sync = found.get();
        try {
            ConnectorSessions.Bound<CohortSync> bound = sessions.openFor(tenant, sync.installationId(), Capability.COHORT_SYNC,
                    CohortSync.class);
            ConnectorSession session = bound.session();
            Cohort cohort = cohorts.get(tenant, sync.cohortId());
            log(tenant, sync, claim, "cohort sync started", "running", Map.of("attempt", claim.attempt(), "cohort", cohort.key()));

            RunCounts census = tx.executeWrite(s -> {
                long t0 = System.nanoTime();
                CohortSyncStateRepository.Difference d = state.computeDifference(tenant, sync.id(), claim.runId(), cohort.id(), sync.mapping());
                RunCounts c = d.census();
                RunCounts counts = new RunCounts(c.members(), c.withEmail(), c.skippedNoEmail(), c.invalidEmail(),
                        c.invalidEmailSample(), c.duplicatesMerged(), d.additions(), d.removals(), d.distinctValid() - d.additions(),
                        0, 0, 0, 0, (System.nanoTime() - t0) / 1_000_000);
                queue.recordProgress(claim, PlatformJson.write(counts), Instant.now(clock));
                return counts;
            });

            PlatformCohortSyncRun run = new PlatformCohortSyncRun(tenant, sync.id(), claim.runId(),
                    new CohortSyncSettings(sync.id().toString(), cohort.key(), sync.listName(), sync.mapping()), state, runs, tx, clock,
                    PlatformCohortSyncRun.syncState(session.context(), sync.id()));
            session.invoke("cohort sync", runTimeout, context -> {
                bound.capability().run(context, run);
                return null;
            });
            RunCounts done = census.withResults(run.added.get(), run.updated.get(), run.removed.get(), run.rejected.get());
            finish(tenant, sync, claim, done.rejected() > 0 ? "partially_succeeded" : "succeeded", null, done);
        } catch (RunLostException e) {
            LOG.info("Cohort sync run {} attempt {} was taken over; this attempt stops", claim.runId(), claim.attempt());
            metrics.syncRunEnded("cohort", claim.runId(), "lost", 0);
        } catch (RetriableConnectorException e) {
            retryOrFail(tenant, sync, claim, e.getMessage(), e.retryAfter());
        } catch (PermanentConnectorException e) {
            finish(tenant, sync, claim, "failed", e.getMessage(), null);
        } catch (ApiException e) { // the connector was disabled during the run (ConnectorUnavailableException), or the cohort deleted
            finish(tenant, sync, claim, "failed", e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.error("Cohort sync run {} failed unexpectedly", claim.runId(), e);
            retryOrFail(tenant, sync, claim, "internal error: " + e.getClass().getSimpleName(), null);
        } catch (Exception e) {
            finish(tenant, sync, claim, "failed", e.getMessage(), null);
        }
    }

    private void retryOrFail(TenantId tenant, CohortSyncDefinition sync, CohortSyncRunQueue.Claim claim, String error, Duration retryAfter) {
        Optional<Duration> wait = retries.next(claim.attempt(), retryAfter);
        if (wait.isEmpty()) {
            finish(tenant, sync, claim, "failed", RetryPolicy.gaveUp(error, claim.attempt()), null);
            return;
        }
        boolean requeued = workers.requeue(claim, error, wait.get());
        metrics.syncRunEnded("cohort", claim.runId(), requeued ? "retrying" : "lost", 0);
        if (requeued) {
            log(tenant, sync, claim, "cohort sync retrying", "retrying", Map.of("error", error, "retry_in_seconds", wait.get().toSeconds()));
        }
    }

    /**
     * Ends the attempt, and records that in the event log in the same transaction: whoever sees the
     * run ended finds the entry. An attempt that lost the run (taken over) changes nothing.
     */
    private void finish(TenantId tenant, CohortSyncDefinition sync, CohortSyncRunQueue.Claim claim, String status, String error, RunCounts counts) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (counts != null) {
            fields.put("counts", JSON.convertValue(counts, Map.class));
        }
        if (error != null) {
            fields.put("error", error);
        }
        NewEvent entry = entry(sync, claim, "cohort sync " + status, status, fields);
        boolean ended = tx.executeWrite(s -> {
            if (!queue.finish(claim, status, error, counts == null ? null : PlatformJson.write(counts), Instant.now(clock))) {
                return false;
            }
            state.dropItems(tenant, claim.runId());
            eventLog.record(tenant, List.of(entry));
            return true;
        });
        metrics.syncRunEnded("cohort", claim.runId(), ended ? status : "lost",
                ended && counts != null ? counts.added() + counts.updated() + counts.removed() : 0);
    }

    private static NewEvent entry(CohortSyncDefinition sync, CohortSyncRunQueue.Claim claim, String name, String status, Map<String, Object> fields) {
        Map<String, Object> payload = new LinkedHashMap<>(fields);
        payload.put("sync_id", sync.id());
        payload.put("run_id", claim.runId());
        return new NewEvent(sync.installationId(), NewEvent.Direction.INTERNAL, "sync_step", name, status, null, null, null, null,
                dev.junction.platform.PlatformJson.write(payload));
    }

    private void log(TenantId tenant, CohortSyncDefinition sync, CohortSyncRunQueue.Claim claim, String name, String status, Map<String, Object> fields) {
        try {
            eventLog.record(tenant, List.of(entry(sync, claim, name, status, fields)));
        } catch (RuntimeException e) {
            LOG.warn("Could not record {} of run {}: {}", name, claim.runId(), e.getMessage());
        }
    }

    /** Runs this replica is executing now. */
    List<UUID> activeRuns() {
        return workers.activeRuns();
    }

    @PreDestroy
    void stop() {
        workers.stop();
    }
}
