package dev.junction.platform.objectsync;

import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.PluginInvoker;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ObjectSync;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Brings an installation's schema up to its connector's collections: at install, and again before
 * every run, so that a new plugin version's columns and collections appear without anyone asking.
 */
@Singleton
final class CollectionSetup {

    private final PluginInvoker invoker;
    private final CollectionTables sql;
    private final ObjectSyncRepository settings;

    CollectionSetup(PluginInvoker invoker, CollectionTables sql, ObjectSyncRepository settings) {
        this.invoker = invoker;
        this.sql = sql;
        this.settings = settings;
    }

    /**
     * The connector's collections as tables, asked through the invoker (time-boxed like any plugin
     * call).
     *
     * @throws CollectionTable.InvalidCollectionsException when they cannot become tables
     */
    List<CollectionTable> declared(ConnectorEntry entry) throws ConnectorException {
        ObjectSync capability = entry.capability(Capability.OBJECT_SYNC, ObjectSync.class).orElseThrow();
        List<CollectionSpec> specs = invoker.invoke(entry, "object sync collections", invoker.defaultTimeout(), Set.of(),
                capability::collections);
        return CollectionTable.of(specs, hasEventsTable(entry));
    }

    /** Whether installations of this connector get the table of their webhook events. */
    static boolean hasEventsTable(ConnectorEntry entry) {
        return entry.has(Capability.EVENT_SOURCE);
    }

    /**
     * Creates what is missing, in the caller's transaction: the schema (again, if an operator
     * dropped it), each collection's table or its new columns, the events table; and records the
     * collections as applied.
     *
     * @throws CollectionTables.IncompatibleTableException when a table's key or a column's type changed
     */
    void apply(TenantId tenant, UUID installation, String schema, List<CollectionTable> tables, boolean eventsTable) {
        if (!sql.schemaExists(schema)) {
            sql.createSchema(schema);
        }
        for (CollectionTable table : tables) {
            sql.ensure(schema, table);
            settings.putCollection(tenant, installation, table);
        }
        if (eventsTable) {
            sql.ensureEventsTable(schema);
            settings.setEventsTable(tenant, installation);
        }
    }
}
