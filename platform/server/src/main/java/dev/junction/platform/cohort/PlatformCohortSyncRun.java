package dev.junction.platform.cohort;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.StateStore;
import dev.junction.spi.cohort.CohortMember;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.VendorJobState;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The platform's side of one run, as the connector sees it: the difference read back in pages, and
 * every report written at once in its own short transaction, so a crash loses no acknowledged
 * progress and the next attempt resumes from what is recorded.
 */
final class PlatformCohortSyncRun implements CohortSyncRun {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;
    private static final int MAX_BATCH = 50_000;
    private static final int MAX_REASON = 1000;

    private final TenantId tenant;
    private final UUID syncId;
    private final UUID runId;
    private final CohortSyncSettings settings;
    private final CohortSyncStateRepository state;
    private final CohortSyncRunRepository runs;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final StateStore syncState;
    final AtomicLong added = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    final AtomicLong removed = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();

    PlatformCohortSyncRun(TenantId tenant, UUID syncId, UUID runId, CohortSyncSettings settings, CohortSyncStateRepository state,
                          CohortSyncRunRepository runs, TransactionOperations<Connection> tx, Clock clock, StateStore syncState) {
        this.tenant = tenant;
        this.syncId = syncId;
        this.runId = runId;
        this.settings = settings;
        this.state = state;
        this.runs = runs;
        this.tx = tx;
        this.clock = clock;
        this.syncState = syncState;
    }

    /** The sync's own part of the installation's state: keys under {@code cohort-sync/<sync id>/}. */
    static StateStore syncState(ConnectorContext context, UUID syncId) {
        return context.state().scoped("cohort-sync/" + syncId + "/");
    }

    @Override
    public StateStore state() {
        return syncState;
    }

    @Override
    public CohortSyncSettings settings() {
        return settings;
    }

    @Override
    public void forEachAddition(int batchSize, BatchHandler handler) throws ConnectorException {
        forEach("add", batchSize, handler);
    }

    @Override
    public void forEachRemoval(int batchSize, BatchHandler handler) throws ConnectorException {
        forEach("remove", batchSize, handler);
    }

    private void forEach(String kind, int batchSize, BatchHandler handler) throws ConnectorException {
        int size = Math.max(1, Math.min(MAX_BATCH, batchSize));
        String after = "";
        while (true) {
            String from = after;
            List<CohortSyncStateRepository.Item> page = tx.executeRead(s -> state.items(tenant, runId, kind, from, size));
            if (page.isEmpty()) {
                return;
            }
            handler.handle(page.stream().map(i -> new CohortMember(i.email(), i.firstName(), i.lastName(), i.userId(), Map.of()))
                    .toList());
            after = page.get(page.size() - 1).email();
        }
    }

    @Override
    public void accepted(List<String> emails) {
        if (emails.isEmpty()) {
            return;
        }
        long[] counts = tx.executeWrite(s -> state.markSynced(tenant, syncId, runId, emails, Instant.now(clock)));
        added.addAndGet(counts[0]);
        updated.addAndGet(counts[1]);
    }

    @Override
    public void rejected(String email, String reason) {
        String why = reason == null ? "refused by the vendor" : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        tx.executeWrite(s -> {
            state.markRejected(tenant, syncId, runId, email, why, Instant.now(clock));
            runs.addRejection(tenant, runId, email, why);
            return null;
        });
        rejected.incrementAndGet();
    }

    @Override
    public void removed(List<String> emails) {
        if (emails.isEmpty()) {
            return;
        }
        removed.addAndGet(tx.executeWrite(s -> state.markRemoved(tenant, syncId, runId, emails)));
    }

    @Override
    public void vendorJob(String jobId, VendorJobState jobState, Map<String, Object> details) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("state", jobState.wireName());
        job.put("details", details == null ? Map.of() : details);
        job.put("updated_at", Instant.now(clock));
        try {
            String json = JSON.writeValueAsString(job);
            tx.executeWrite(s -> {
                runs.putVendorJob(tenant, runId, jobId, json);
                return null;
            });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("vendor job details must be JSON-compatible", e);
        }
    }
}
