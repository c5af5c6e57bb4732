package dev.junction.platform.plugin;

import dev.junction.runtime.CapabilityTypes;
import dev.junction.runtime.schema.ConfigSchema;
import dev.junction.runtime.schema.InvalidConfigSchemaException;
import dev.junction.spi.Capability;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.SpiVersion;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.annotation.PreDestroy;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginRepository;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads connector plugins with PF4J from {@code junction.plugins-dir} ({@code JUNCTION_PLUGINS_DIR},
 * default {@code plugins}), each in its own class loader, and checks each one before it is
 * offered: exactly one {@link Connector} extension, an SPI version this platform supports, a
 * valid config schema, and capability extensions that each provide a capability, none twice (the
 * capabilities are derived from them: nothing else declares one). A plugin that fails
 * any of this is listed as failed with the reason; the platform runs with whatever is left,
 * including nothing.
 */
@Factory
class PluginHost {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private static final Duration DESCRIPTOR_TIMEOUT = Duration.ofSeconds(5);

    private JunctionPluginManager manager;

    /** PF4J with our repository layout, recording why a plugin file could not be loaded. */
    static final class JunctionPluginManager extends DefaultPluginManager {
        final Map<Path, String> loadFailures = new ConcurrentHashMap<>();

        JunctionPluginManager(Path root) {
            super(List.of(root));
            setSystemVersion(SpiVersion.CURRENT);
        }

        @Override
        protected PluginRepository createPluginRepository() {
            return new BuiltPluginRepository(getPluginsRoots().get(0));
        }

        @Override
        protected PluginWrapper loadPluginFromPath(Path pluginPath) {
            try {
                return super.loadPluginFromPath(pluginPath);
            } catch (RuntimeException e) {
                loadFailures.put(pluginPath, e.getMessage() == null ? e.getClass().getName() : e.getMessage());
                throw e;
            }
        }
    }

    /** Loaded eagerly, so start-up logs say at once which connectors are there. */
    @Context
    ConnectorRegistry connectorRegistry(PluginSettings settings, PluginInvoker invoker) {
        Path root = Path.of(settings.pluginsDir()).toAbsolutePath().normalize();
        manager = new JunctionPluginManager(root);
        manager.loadPlugins();
        manager.startPlugins();

        Map<String, ConnectorEntry> connectors = new LinkedHashMap<>();
        List<PluginStatus> statuses = new ArrayList<>();
        manager.loadFailures.forEach((path, why) -> statuses.add(new PluginStatus(path.getFileName().toString(), null, path,
                "failed", null, "could not be loaded: " + why)));
        for (PluginWrapper plugin : manager.getPlugins()) {
            String id = plugin.getPluginId();
            String version = plugin.getDescriptor().getVersion();
            if (plugin.getPluginState() != PluginState.STARTED) {
                statuses.add(new PluginStatus(id, version, plugin.getPluginPath(), "failed", null, notStartedReason(manager, plugin)));
                continue;
            }
            try {
                ConnectorEntry entry = inspect(plugin, invoker);
                if (connectors.containsKey(entry.slug())) {
                    throw new PluginRejectedException("connector '" + entry.slug() + "' is already provided by plugin "
                            + connectors.get(entry.slug()).pluginId());
                }
                connectors.put(entry.slug(), entry);
                statuses.add(new PluginStatus(id, version, plugin.getPluginPath(), "started", entry.slug(), null));
                LOG.info("Connector {} loaded from plugin {} {} ({})", entry.slug(), id, version, entry.descriptor().status());
            } catch (PluginRejectedException | ConnectorUnavailableException e) {
                statuses.add(new PluginStatus(id, version, plugin.getPluginPath(), "failed", null, e.getMessage()));
                LOG.error("Plugin {} {} rejected: {}", id, version, e.getMessage());
            }
        }
        LOG.info("Plugins directory {}: {} connector(s) loaded, {} plugin(s) failed", root, connectors.size(),
                statuses.stream().filter(s -> !s.state().equals("started")).count());
        return new ConnectorRegistry(connectors, statuses);
    }

    private static String notStartedReason(JunctionPluginManager manager, PluginWrapper plugin) {
        String requires = plugin.getDescriptor().getRequires();
        if (requires != null && !requires.isBlank() && !"*".equals(requires.strip())
                && !manager.getVersionManager().checkVersionConstraint(SpiVersion.CURRENT, requires)) {
            return "requires platform SPI " + requires + ", but this platform provides " + SpiVersion.CURRENT;
        }
        if (plugin.getFailedException() != null) {
            Throwable t = plugin.getFailedException();
            return "failed to start: " + (t.getMessage() == null ? t.getClass().getName() : t.getMessage());
        }
        return "not started (state " + plugin.getPluginState() + ")";
    }

    private ConnectorEntry inspect(PluginWrapper plugin, PluginInvoker invoker) {
        String id = plugin.getPluginId();
        List<Connector> found;
        try {
            found = manager.getExtensions(Connector.class, id);
        } catch (RuntimeException | LinkageError e) {
            throw new PluginRejectedException("its Connector extension cannot be created: " + e);
        }
        if (found.size() != 1) {
            throw new PluginRejectedException("a plugin must declare exactly one Connector extension, found " + found.size());
        }
        Connector connector = found.get(0);
        ConnectorEntry probe = new ConnectorEntry(id, plugin.getDescriptor().getVersion(), connector,
                placeholderDescriptor(id), null, Map.of(), plugin.getPluginClassLoader());
        ConnectorDescriptor descriptor;
        try {
            descriptor = invoker.invoke(probe, "descriptor()", DESCRIPTOR_TIMEOUT, Set.of(), connector::descriptor);
        } catch (ConnectorException e) {
            throw new PluginRejectedException("descriptor() threw " + e.getMessage());
        }
        if (descriptor == null) {
            throw new PluginRejectedException("descriptor() returned null");
        }
        String incompatible = SpiVersion.incompatibility(descriptor.spiVersion());
        if (incompatible != null) {
            throw new PluginRejectedException("connector " + descriptor.slug() + " is " + incompatible);
        }
        ConfigSchema schema;
        try {
            schema = ConfigSchema.parse(descriptor.configSchema());
        } catch (InvalidConfigSchemaException e) {
            throw new PluginRejectedException("connector " + descriptor.slug() + " has an " + e.getMessage());
        }
        Map<Capability, ConnectorCapability> capabilities;
        try {
            capabilities = CapabilityTypes.index(manager.getExtensions(ConnectorCapability.class, id));
        } catch (IllegalArgumentException e) {
            throw new PluginRejectedException("connector " + descriptor.slug() + " has malformed capability extensions: "
                    + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new PluginRejectedException("its capability extensions cannot be created: " + e);
        }
        return new ConnectorEntry(id, plugin.getDescriptor().getVersion(), connector, descriptor, schema, capabilities,
                plugin.getPluginClassLoader());
    }

    private static ConnectorDescriptor placeholderDescriptor(String pluginId) {
        String slug = pluginId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (!ConnectorDescriptor.SLUG.matcher(slug).matches()) {
            slug = "plugin-" + Integer.toHexString(pluginId.hashCode());
        }
        return ConnectorDescriptor.builder(slug, SpiVersion.CURRENT).name(pluginId).build();
    }

    @PreDestroy
    void stop() {
        if (manager == null) {
            return;
        }
        // one at a time over a copy: PF4J's stopPlugins() iterates its live list and failed with a
        // ConcurrentModificationException at shutdown
        List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
        Collections.reverse(started);
        for (PluginWrapper plugin : started) {
            try {
                manager.stopPlugin(plugin.getPluginId());
            } catch (RuntimeException e) {
                LOG.warn("Plugin {} did not stop cleanly: {}", plugin.getPluginId(), e.toString());
            }
        }
    }

    /** A plugin that loaded but breaks the rules. */
    static final class PluginRejectedException extends RuntimeException {
        PluginRejectedException(String message) {
            super(message, null, false, false);
        }
    }
}
