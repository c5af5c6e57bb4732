package dev.junction.platform.installation;

import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The object sync settings of an installation (its schema and sync interval), which the objects
 * feature keeps. The installation service calls it at fixed points so that an installation and
 * these settings are created, changed and deleted in one transaction; each method may refuse with
 * an {@link dev.junction.platform.web.ApiException}, and then nothing is stored.
 */
public interface ObjectSyncHook {

    /**
     * Checks the {@code object_sync} field of an install request (null when absent) before the
     * connection check runs, and returns the step that creates the settings (and the schema) inside
     * the transaction that stores the installation. For a connector without object sync the step
     * does nothing, and a requested value is refused.
     */
    Consumer<Installation> install(TenantId tenant, ConnectorEntry connector, @Nullable Map<String, Object> requested);

    /** The same for a PATCH request that carries the field. */
    Consumer<Installation> patch(Installation current, ConnectorEntry connector, Map<String, Object> requested);

    /** The settings as installation views show them, or null when the installation has none. */
    @Nullable Map<String, Object> view(Installation installation);

    /**
     * Inside the transaction that deletes the installation: drops its schema when {@code dropData},
     * otherwise leaves it in place. Returns the name of a schema left in place, or null.
     */
    @Nullable String delete(Installation installation, boolean dropData);
}
