package dev.junction.platform.cohort;

import dev.junction.platform.tracing.Tracing;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.jobs.RunLostException;
import dev.junction.platform.jobs.RunWorkers;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.plugin.PluginInvoker;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.cohort.CohortSyncSettings;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
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
@Singleton
public class CohortSyncRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CohortSyncRunner.class);
    private static final ObjectMapper JSON = PlatformJson.MAPPER;
    /** Runs executing at once on one replica. */
    private static final int CONCURRENT_RUNS = 2;
    /** Attempts before a run that keeps failing transiently is given up. */
    static final int MAX_ATTEMPTS = 5;
    /** A running run whose heartbeat is older than this is resumed by another worker. */
    static final Duration STALE_AFTER = Duration.ofSeconds(60);

    private final Tracing tracing;
    private final PlatformMetrics metrics;
    private final CohortSyncRunQueue queue;
    private final CohortSyncRepository syncs;
    private final CohortSyncRunRepository runs;
    private final CohortSyncStateRepository state;
    private final CohortService cohorts;
    private final InstallationService installations;
    private final ConnectorRegistry registry;
    private final PluginInvoker invoker;
    private final EventLogService eventLog;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final Duration runTimeout;
    private final Duration retryBase;
    private final RunWorkers<CohortSyncRunQueue.Claim> workers;

    CohortSyncRunner(CohortSyncRunQueue queue, CohortSyncRepository syncs, CohortSyncRunRepository runs, CohortSyncStateRepository state, CohortService cohorts,
               InstallationService installations, ConnectorRegistry registry, PluginInvoker invoker, EventLogService eventLog,
               TransactionOperations<Connection> tx, Clock clock,
               CohortSyncRunSettings settings, PlatformMetrics metrics, Tracing tracing) {
        this.tracing = tracing;
        this.metrics = metrics;
        this.retryBase = settings.retryBase();
        this.queue = queue;
        this.syncs = syncs;
        this.runs = runs;
        this.state = state;
        this.cohorts = cohorts;
        this.installations = installations;
        this.registry = registry;
        this.invoker = invoker;
        this.eventLog = eventLog;
        this.tx = tx;
        this.clock = clock;
        this.runTimeout = settings.runTimeout();
        this.workers = new RunWorkers<>("cohort sync", CONCURRENT_RUNS, queue, tx, clock, STALE_AFTER, this::scheduleDue, this::execute);
    }

    /** One pass: heartbeat, resume orphans, queue due schedules, claim what fits. */
    @Scheduled(fixedDelay = "${junction.cohort-sync.poll-interval:2s}", initialDelay = "2s")
    void poll() {
        workers.poll();
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
        tracing.span("sync.run", () -> {
            executeRun(claim);
            return null;
        }, "kind", "cohort");
    }

    private void executeRun(CohortSyncRunQueue.Claim claim) {
        TenantId tenant = claim.tenant();
        Optional<CohortSyncDefinition> found = tx.executeRead(s -> syncs.find(tenant, claim.syncId()));
        if (found.isEmpty()) {
            return; // deleted meanwhile: its runs went with it
        }
        CohortSyncDefinition sync = found.get();
        metrics.syncRunStarted(claim.runId());
        try {
            Installation installation = installations.get(tenant, sync.installationId());
            if (installation.status() != Installation.Status.ENABLED) {
                finish(tenant, sync, claim, "failed", "The installation is disabled", null);
                return;
            }
            ConnectorEntry entry = registry.require(installation.connector());
            CohortSync capability = entry.capability(Capability.COHORT_SYNC, CohortSync.class).orElseThrow(() ->
                    new PermanentConnectorException("no_cohort_sync", "The " + installation.connector() + " integration no longer syncs cohorts"));
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

            var config = installations.resolvedConfig(installation);
            ConnectorContext context = installations.context(entry, installation, config);
            PlatformCohortSyncRun run = new PlatformCohortSyncRun(tenant, sync.id(), claim.runId(),
                    new CohortSyncSettings(sync.id().toString(), cohort.key(), sync.listName(), sync.mapping()), state, runs, tx, clock,
                    PlatformCohortSyncRun.syncState(context, sync.id()));
            invoker.invoke(entry, "cohort sync", runTimeout, installations.secretValues(entry, config), () -> {
                capability.run(context, run);
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
        } catch (ApiException e) { // includes ConnectorUnavailableException: the connector is disabled
            finish(tenant, sync, claim, "failed", e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.error("Cohort sync run {} failed unexpectedly", claim.runId(), e);
            retryOrFail(tenant, sync, claim, "internal error: " + e.getClass().getSimpleName(), null);
        } catch (Exception e) {
            finish(tenant, sync, claim, "failed", e.getMessage(), null);
        }
    }

    private void retryOrFail(TenantId tenant, CohortSyncDefinition sync, CohortSyncRunQueue.Claim claim, String error, Duration retryAfter) {
        if (claim.attempt() >= MAX_ATTEMPTS) {
            finish(tenant, sync, claim, "failed", error + " (gave up after " + claim.attempt() + " attempts)", null);
            return;
        }
        Duration backoff = retryBase.multipliedBy(1L << Math.min(claim.attempt() - 1, 7));
        if (backoff.compareTo(Duration.ofMinutes(10)) > 0) {
            backoff = Duration.ofMinutes(10);
        }
        Duration wait = retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
        boolean requeued = tx.executeWrite(s -> queue.requeue(claim, error, Instant.now(clock).plus(wait)));
        metrics.syncRunEnded("cohort", claim.runId(), requeued ? "retrying" : "lost", 0);
        if (requeued) {
            log(tenant, sync, claim, "cohort sync retrying", "retrying", Map.of("error", error, "retry_in_seconds", wait.toSeconds()));
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
