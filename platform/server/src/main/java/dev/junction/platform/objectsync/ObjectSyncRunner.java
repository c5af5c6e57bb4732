package dev.junction.platform.objectsync;

import dev.junction.platform.tracing.Tracing;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.installation.ConnectorSession;
import dev.junction.platform.installation.ConnectorSessions;
import dev.junction.platform.jobs.RetryPolicy;
import dev.junction.platform.jobs.RunWorkers;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.PlatformServiceException;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.spi.Capability;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.objects.ObjectSync;
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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs object syncs. Every replica polls: it beats the heart of its runs, requeues runs of replicas
 * that stopped beating, queues the runs of installations whose interval is due, and claims queued
 * runs while it has free slots (see {@link ObjectSyncQueue}: an installation never runs twice at
 * once). A run brings the schema up to the connector's collections, then calls the connector's
 * {@code sync} through a {@link ConnectorSession} with {@code junction.object-sync.run-timeout} and a
 * {@link TableRecordSink}. Transient failures (the connector's retriable ones, the database's)
 * requeue the run with exponential backoff, or after the vendor's {@code Retry-After} if longer.
 */
@Context // polls from the start
class ObjectSyncRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectSyncRunner.class);
    /** Attempts before a run that keeps failing transiently is given up. */
    static final int MAX_ATTEMPTS = 5;
    /** A running run whose heartbeat is older than this is resumed by another worker. */
    static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);

    private final PlatformMetrics metrics;
    private final ObjectSyncQueue queue;
    private final ObjectSyncRepository settings;
    private final ObjectSyncRunRepository runs;
    private final CollectionTables sql;
    private final CollectionSetup setup;
    private final InstallationService installations;
    private final ConnectorSessions sessions;
    private final EventLogService eventLog;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final Duration runTimeout;
    private final RetryPolicy retries;
    private final int batchRows;
    private final int batchBytes;
    private final RunWorkers<ObjectSyncQueue.Claim> workers;

    ObjectSyncRunner(ObjectSyncQueue queue, ObjectSyncRepository settings, ObjectSyncRunRepository runs, CollectionTables sql,
                     CollectionSetup setup, InstallationService installations, ConnectorSessions sessions,
                     EventLogService eventLog, TransactionOperations<Connection> tx, Clock clock,
                     ObjectSyncRunSettings runSettings, PlatformMetrics metrics, Tracing tracing) {
        this.metrics = metrics;
        this.queue = queue;
        this.settings = settings;
        this.runs = runs;
        this.sql = sql;
        this.setup = setup;
        this.installations = installations;
        this.sessions = sessions;
        this.eventLog = eventLog;
        this.tx = tx;
        this.clock = clock;
        this.runTimeout = runSettings.runTimeout();
        this.retries = new RetryPolicy(MAX_ATTEMPTS, runSettings.retryBase(), MAX_BACKOFF);
        this.batchRows = runSettings.batchRows();
        this.batchBytes = runSettings.batchSize();
        this.workers = new RunWorkers<>("object", runSettings.concurrency(), queue, tx, clock, STALE_AFTER, tracing, metrics, this::scheduleDue, this::execute);
        workers.start(runSettings.pollInterval());
    }

    /** Claims and starts queued runs while this replica has free slots. */
    void wake() {
        workers.wake();
    }

    /** Queues a run of every installation whose interval is due (none while one is queued or running) and sets the next. */
    private void scheduleDue(Instant now) {
        tx.executeWrite(s -> {
            for (ObjectSyncQueue.Due due : queue.lockDue(now, 100)) {
                if (enabled(due.tenant(), due.installationId())) {
                    runs.insertQueued(due.tenant(), UUID.randomUUID(), due.installationId(), "scheduled", now);
                }
                settings.setNextRun(due.tenant(), due.installationId(),
                        SyncInterval.ofSeconds(due.intervalSeconds()).nextAfter(now).orElse(null));
            }
            return null;
        });
    }

    private boolean enabled(TenantId tenant, UUID installation) {
        return installations.find(tenant, installation).map(i -> i.status() == Installation.Status.ENABLED).orElse(false);
    }

    /** Executes one claimed run to its end, or back to the queue. */
    void execute(ObjectSyncQueue.Claim claim) {
        TenantId tenant = claim.tenant();
        Optional<ObjectSyncSettings> found = tx.executeRead(s -> settings.find(tenant, claim.installationId()));
        if (found.isEmpty()) {
            return; // deleted meanwhile: its runs went with it
        }
        ObjectSyncSettings sync = found.get();
        TableRecordSink sink = null;
        try {
            ConnectorSessions.Bound<ObjectSync> bound = sessions.openFor(tenant, sync.installationId(), Capability.OBJECT_SYNC,
                    ObjectSync.class);
            ConnectorEntry entry = bound.session().connector();
            log(claim, "object sync started", "running", Map.of("attempt", claim.attempt()));

            List<CollectionTable> tables = setup.declared(entry);
            tx.executeWrite(s -> {
                settings.findForUpdate(tenant, sync.installationId()).orElseThrow(() -> ApiException.notFound("Object sync"));
                setup.apply(tenant, sync.installationId(), sync.schemaName(), tables, CollectionSetup.hasEventsTable(entry));
                return null;
            });

            TableRecordSink runSink = new TableRecordSink(claim, sync.installationId(), sync.schemaName(),
                    tables.stream().collect(Collectors.toMap(CollectionTable::name, Function.identity())),
                    sql, settings, queue, tx, clock, batchRows, batchBytes);
            sink = runSink;
            bound.session().invoke("object sync", runTimeout, context -> {
                bound.capability().sync(context, runSink);
                return null;
            });
            finish(claim, "succeeded", null, runSink.finish());
        } catch (RetriableConnectorException e) {
            retryOrFail(claim, sink, e.getMessage(), e.retryAfter());
        } catch (PlatformServiceException e) {
            retryOrFail(claim, sink, e.getMessage(), null);
        } catch (PermanentConnectorException | CollectionTable.InvalidCollectionsException
                 | CollectionTables.IncompatibleTableException | ApiException e) {
            // ApiException: the connector was disabled during the run (ConnectorUnavailableException), or the sync deleted
            finish(claim, "failed", e.getMessage(), abandoned(sink));
        } catch (RuntimeException e) {
            LOG.error("Object sync run {} failed unexpectedly", claim.runId(), e);
            retryOrFail(claim, sink, "internal error: " + e.getClass().getSimpleName(), null);
        } catch (Exception e) {
            finish(claim, "failed", e.getMessage(), abandoned(sink));
        }
    }

    private static Map<String, PassCounts> abandoned(TableRecordSink sink) {
        if (sink == null) {
            return null;
        }
        sink.abandon();
        return sink.counts();
    }

    private void retryOrFail(ObjectSyncQueue.Claim claim, TableRecordSink sink, String error, Duration retryAfter) {
        Map<String, PassCounts> counts = abandoned(sink);
        Optional<Duration> wait = retries.next(claim.attempt(), retryAfter);
        if (wait.isEmpty()) {
            finish(claim, "failed", RetryPolicy.gaveUp(error, claim.attempt()), counts);
            return;
        }
        boolean requeued = workers.requeue(claim, error, wait.get());
        metrics.syncRunEnded("object", claim.runId(), requeued ? "retrying" : "lost", 0);
        if (requeued) {
            log(claim, "object sync retrying", "retrying", Map.of("error", error, "retry_in_seconds", wait.get().toSeconds()));
        }
    }

    private void finish(ObjectSyncQueue.Claim claim, String status, String error, Map<String, PassCounts> counts) {
        boolean ended = tx.executeWrite(s -> queue.finish(claim, status, error, counts == null ? null : PlatformJson.write(counts),
                Instant.now(clock)));
        if (!ended) {
            metrics.syncRunEnded("object", claim.runId(), "lost", 0);
            return; // no longer ours: taken over, or deleted with the installation
        }
        metrics.syncRunEnded("object", claim.runId(), status, counts == null ? 0
                : counts.values().stream().mapToLong(c -> c.upserted() + c.inserted() + c.deleted()).sum());
        Map<String, Object> fields = new LinkedHashMap<>();
        if (counts != null) {
            fields.put("collections", counts);
        }
        if (error != null) {
            fields.put("error", error);
        }
        log(claim, "object sync " + status, status, fields);
    }

    /** An entry in the tenant's live event log, where the installation's activity shows. */
    private void log(ObjectSyncQueue.Claim claim, String name, String status, Map<String, Object> fields) {
        Map<String, Object> payload = new LinkedHashMap<>(fields);
        payload.put("run_id", claim.runId());
        try {
            eventLog.record(claim.tenant(), List.of(new NewEvent(claim.installationId(), NewEvent.Direction.INTERNAL, "sync_step",
                    name, status, null, null, null, null, PlatformJson.write(payload))));
        } catch (RuntimeException e) {
            LOG.warn("Could not record {} of run {}: {}", name, claim.runId(), e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        workers.stop();
    }
}
