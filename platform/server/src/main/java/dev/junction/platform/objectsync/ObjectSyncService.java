package dev.junction.platform.objectsync;

import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import dev.junction.spi.objects.ColumnSpec.ColumnType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Object sync of installations as tenants use it: runs on demand and their history, the
 * collections and their rows. Everything is reached through an installation of the caller's
 * tenant: another tenant's answers 404.
 */
@Singleton
public class ObjectSyncService {

    private final ObjectSyncRepository settings;
    private final ObjectSyncRunRepository runs;
    private final CollectionTables sql;
    private final InstallationService installations;
    private final ObjectSyncRunner runner;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    ObjectSyncService(ObjectSyncRepository settings, ObjectSyncRunRepository runs, CollectionTables sql,
                      InstallationService installations, ObjectSyncRunner runner, TransactionOperations<Connection> tx, Clock clock) {
        this.settings = settings;
        this.runs = runs;
        this.sql = sql;
        this.installations = installations;
        this.runner = runner;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Queues a run now and nudges this replica's worker. A queued run is returned instead of a
     * second one; while a run is running, 409. A manual run restarts the interval.
     */
    public ObjectSyncRun requestRun(TenantId tenant, UUID installationId) {
        ObjectSyncSettings s = require(tenant, installationId);
        if (installations.get(tenant, installationId).status() != Installation.Status.ENABLED) {
            throw ApiException.conflict("The installation is disabled; enable it to sync its objects");
        }
        ObjectSyncRun run = tx.executeWrite(x -> {
            Instant now = now();
            UUID id = UUID.randomUUID();
            if (runs.insertQueued(tenant, id, installationId, "manual", now)) {
                settings.setNextRun(tenant, installationId, s.interval().nextAfter(now).orElse(null));
                return runs.find(tenant, installationId, id).orElseThrow();
            }
            ObjectSyncRun active = runs.findActiveForUpdate(tenant, installationId)
                    .orElseThrow(() -> ApiException.conflict("A run just ended; request another"));
            if (active.status().equals("running")) {
                throw new ApiException(HttpStatus.CONFLICT, "run-in-progress", "A run is in progress",
                        "A run of this installation's object sync is running; wait for it to end", List.of(), null,
                        Map.of("run_id", active.id().toString()));
            }
            return active;
        });
        runner.wake();
        return run;
    }

    public Page<ObjectSyncRun> runs(TenantId tenant, UUID installationId, @Nullable String cursor, int limit) {
        require(tenant, installationId);
        Cursor.CreatedAndId before = Cursor.CreatedAndId.read(cursor);
        return Page.ofOverfetched(tx.executeRead(x -> runs.list(tenant, installationId, before == null ? null : before.createdAt(),
                        before == null ? null : before.id(), limit + 1)), limit,
                r -> new Cursor.CreatedAndId(r.createdAt(), r.id()).cursor());
    }

    /** When the installation's last object sync run succeeded. */
    public Optional<Instant> lastSucceeded(TenantId tenant, UUID installationId) {
        return tx.executeRead(x -> runs.lastSucceeded(tenant, installationId));
    }

    public ObjectSyncRun run(TenantId tenant, UUID installationId, UUID runId) {
        require(tenant, installationId);
        return tx.executeRead(x -> runs.find(tenant, installationId, runId)).orElseThrow(() -> ApiException.notFound("Run " + runId));
    }

    /** The installation's schema and its collections with their counts. */
    public record Collections(String schema, List<ObjectSyncRepository.StoredCollection> collections) { }

    public Collections collections(TenantId tenant, UUID installationId) {
        ObjectSyncSettings s = require(tenant, installationId);
        return new Collections(s.schemaName(), tx.executeRead(x -> settings.collections(tenant, installationId)));
    }

    /**
     * Rows of a collection in key order, deleted ones only when asked, each as JSON text; the
     * cursor (the page's last key) is opaque to clients.
     */
    public Page<String> rows(TenantId tenant, UUID installationId, String name, @Nullable String cursor, int limit,
                             boolean includeDeleted) {
        ObjectSyncSettings s = require(tenant, installationId);
        if (!SqlIdentifier.valid(name)) {
            throw ApiException.notFound("Collection " + name);
        }
        CollectionTable table = tx.executeRead(x -> settings.collection(tenant, installationId, name))
                .orElseThrow(() -> ApiException.notFound("Collection " + name)).table();
        String after = Cursor.read(cursor, parts -> {
            String key = parts.size() == 1 ? parts.get(0) : null;
            if (key != null && table.keyType() == ColumnType.BIGINT) {
                Long.parseLong(key);
            }
            return key;
        });
        List<CollectionTables.Row> page = tx.executeRead(x -> sql.page(s.schemaName(), table, after, includeDeleted, limit + 1));
        Page<CollectionTables.Row> rows = Page.ofOverfetched(page, limit, r -> Cursor.of(r.key()));
        return new Page<>(rows.items().stream().map(CollectionTables.Row::json).toList(), rows.nextCursor());
    }

    /** The settings of an installation of this tenant, or 404 (also for another tenant's). */
    private ObjectSyncSettings require(TenantId tenant, UUID installationId) {
        installations.get(tenant, installationId);
        return tx.executeRead(x -> settings.find(tenant, installationId))
                .orElseThrow(() -> ApiException.notFound("Object sync of installation " + installationId));
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
