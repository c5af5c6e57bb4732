package dev.junction.platform.objectsync;

import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.ObjectSyncHook;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Problem;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The object sync settings of installations: {@code "object_sync": {"schema", "interval"}} on
 * install and PATCH, shown in installation views, dropped or kept on delete.
 *
 * <h2>Schema names</h2>
 * A schema name is a safe identifier ({@code ^[a-z][a-z0-9_]{0,62}$}), not PostgreSQL's own or the
 * platform's, and unique in the database: a name is refused (409) while any schema of that name
 * exists, whoever made it, so an installation can never take over another's tables, including the
 * schema a deleted installation left behind. The default is {@code <connector slug>_<first 8 hex
 * digits of the installation id>}. A schema cannot be renamed. The default interval is
 * {@code junction.object-sync.default-interval} (3 hours).
 */
@Singleton
final class InstallationObjectSync implements ObjectSyncHook {

    private static final String FIELD = "/object_sync";
    private static final Set<String> FIELDS = Set.of("schema", "interval");
    private static final String DUPLICATE_SCHEMA = "42P06";

    private final CollectionTables sql;
    private final CollectionSetup setup;
    private final ObjectSyncRepository settings;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final SyncInterval defaultInterval;

    InstallationObjectSync(CollectionTables sql, CollectionSetup setup, ObjectSyncRepository settings,
                           TransactionOperations<Connection> tx, Clock clock,
                           ObjectSyncRunSettings runSettings) {
        this.defaultInterval = SyncInterval.parse(runSettings.defaultInterval());
        this.sql = sql;
        this.setup = setup;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    /** A checked {@code object_sync} request field; null members were not given. */
    private record Requested(@Nullable String schema, @Nullable SyncInterval interval) { }

    @Override
    public Consumer<Installation> install(TenantId tenant, ConnectorEntry connector, @Nullable Map<String, Object> requested) {
        if (!connector.has(Capability.OBJECT_SYNC)) {
            if (requested != null) {
                throw ApiException.invalid(FIELD, "the " + connector.slug() + " integration does not sync objects");
            }
            return installation -> { };
        }
        return creation(connector, requested == null ? new Requested(null, null) : parse(requested));
    }

    @Override
    public Consumer<Installation> patch(Installation current, ConnectorEntry connector, Map<String, Object> requested) {
        if (!connector.has(Capability.OBJECT_SYNC)) {
            throw ApiException.invalid(FIELD, "the " + connector.slug() + " integration does not sync objects");
        }
        Requested r = parse(requested);
        Optional<ObjectSyncSettings> existing = tx.executeRead(s -> settings.find(current.tenantId(), current.id()));
        if (existing.isEmpty()) {
            // installed before its connector could sync objects: the first PATCH sets it up
            return creation(connector, r);
        }
        if (r.schema() != null && !r.schema().equals(existing.get().schemaName())) {
            throw ApiException.invalid(FIELD + "/schema", "cannot be changed once created (it is "
                    + existing.get().schemaName() + ")");
        }
        return installation -> {
            if (r.interval() == null) {
                return;
            }
            Instant now = now();
            settings.findForUpdate(installation.tenantId(), installation.id()).ifPresent(locked -> settings.updateSchedule(
                    installation.tenantId(), installation.id(), r.interval(), r.interval().nextAfter(now).orElse(null), now));
        };
    }

    /** Checks what can be checked before anything is stored; the step creates the rest in the installing transaction. */
    private Consumer<Installation> creation(ConnectorEntry connector, Requested r) {
        if (r.schema() != null && tx.executeRead(s -> sql.schemaExists(r.schema()))) {
            throw schemaTaken(r.schema());
        }
        List<CollectionTable> tables;
        try {
            tables = setup.declared(connector);
        } catch (ConnectorException | CollectionTable.InvalidCollectionsException e) {
            throw invalidCollections(connector, e.getMessage());
        }
        boolean eventsTable = CollectionSetup.hasEventsTable(connector);
        SyncInterval interval = r.interval() == null ? defaultInterval : r.interval();
        return installation -> {
            TenantId tenant = installation.tenantId();
            String schema = r.schema() != null ? r.schema() : defaultSchema(connector.slug(), installation.id());
            Instant now = now();
            // the first run is due at once: the tables fill without waiting a whole interval
            ObjectSyncSettings created = new ObjectSyncSettings(tenant, installation.id(), schema, interval, eventsTable,
                    interval.duration() == null ? null : now, now, now);
            try {
                settings.insert(tenant, created);
                sql.createSchema(schema);
                setup.apply(tenant, installation.id(), schema, tables, eventsTable);
            } catch (CollectionTables.IncompatibleTableException e) {
                throw invalidCollections(connector, e.getMessage());
            } catch (RuntimeException e) {
                if (hasState(e, DUPLICATE_SCHEMA) || hasState(e, "23505")) {
                    throw schemaTaken(schema); // taken between the check and now
                }
                throw e;
            }
        };
    }

    @Override
    public @Nullable Map<String, Object> view(Installation installation) {
        return tx.executeRead(s -> settings.find(installation.tenantId(), installation.id())).map(s -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("schema", s.schemaName());
            view.put("interval", s.interval().text());
            if (s.nextRunAt() != null) {
                view.put("next_run_at", s.nextRunAt().toString());
            }
            if (s.eventsTable()) {
                view.put("events_table", CollectionTable.EVENTS_TABLE);
            }
            return view;
        }).orElse(null);
    }

    @Override
    public @Nullable String delete(Installation installation, boolean dropData) {
        Optional<ObjectSyncSettings> s = settings.findForUpdate(installation.tenantId(), installation.id());
        if (s.isEmpty()) {
            return null;
        }
        if (dropData) {
            sql.dropSchema(s.get().schemaName());
            return null;
        }
        return s.get().schemaName();
    }

    /** Checks the request field: known members, a safe and free schema name, an interval. */
    private Requested parse(Map<String, Object> requested) {
        List<Problem.FieldError> errors = new ArrayList<>();
        requested.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted()
                .forEach(k -> errors.add(Problem.FieldError.body(FIELD + "/" + k, "unknown field; expected schema and interval")));
        String schema = null;
        if (requested.get("schema") != null) {
            if (!(requested.get("schema") instanceof String s) || !SqlIdentifier.valid(s)) {
                errors.add(Problem.FieldError.body(FIELD + "/schema", "must match " + SqlIdentifier.PATTERN
                        + " (lower-case letters, digits and underscores, starting with a letter)"));
            } else {
                Optional<String> reserved = tx.executeRead(x -> sql.reserved(s));
                if (reserved.isPresent()) {
                    errors.add(Problem.FieldError.body(FIELD + "/schema", reserved.get()));
                } else {
                    schema = s;
                }
            }
        }
        SyncInterval interval = null;
        if (requested.get("interval") != null) {
            try {
                interval = SyncInterval.parse(requested.get("interval"));
            } catch (IllegalArgumentException e) {
                errors.add(Problem.FieldError.body(FIELD + "/interval", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Requested(schema, interval);
    }

    /** {@code <slug>_<8 hex digits>}, or 16 digits in the unlikely case the shorter one exists. */
    private String defaultSchema(String slug, UUID id) {
        String base = slug.replace('-', '_').toLowerCase(Locale.ROOT);
        String hex = id.toString().replace("-", "");
        String name = base + "_" + hex.substring(0, 8);
        return sql.schemaExists(name) ? base + "_" + hex.substring(0, 16) : name;
    }

    private static ApiException schemaTaken(String schema) {
        return new ApiException(HttpStatus.CONFLICT, "schema-taken", "Schema name taken",
                "A schema named " + schema + " already exists in the database; choose another name", List.of(
                Problem.FieldError.body(FIELD + "/schema", "is taken")));
    }

    private static ApiException invalidCollections(ConnectorEntry connector, String reason) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "invalid-collections", "Connector collections unusable",
                "The " + connector.slug() + " connector declares collections the platform cannot create: " + reason, List.of());
    }

    private static boolean hasState(Throwable e, String sqlState) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && sqlState.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
