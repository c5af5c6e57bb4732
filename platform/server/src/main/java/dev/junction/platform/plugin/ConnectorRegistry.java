package dev.junction.platform.plugin;

import dev.junction.platform.web.ApiException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The connectors the platform can use, by slug, and the status of every plugin file it found.
 * Filled once by {@link PluginHost} at start-up.
 */
public final class ConnectorRegistry {

    private final Map<String, ConnectorEntry> bySlug;
    private final List<PluginStatus> plugins;

    ConnectorRegistry(Map<String, ConnectorEntry> bySlug, List<PluginStatus> plugins) {
        this.bySlug = new TreeMap<>(bySlug);
        this.plugins = List.copyOf(plugins);
    }

    public Collection<ConnectorEntry> connectors() {
        return bySlug.values();
    }

    public Optional<ConnectorEntry> find(String slug) {
        return Optional.ofNullable(bySlug.get(slug));
    }

    /** The connector, or 404 when no plugin provides it. */
    public ConnectorEntry require(String slug) {
        return find(slug).orElseThrow(() -> ApiException.notFound("Integration '" + slug + "'"));
    }

    /** Every plugin found, loaded or not. */
    public List<PluginStatus> plugins() {
        return plugins;
    }
}
