package dev.junction.platform.plugin;

import dev.junction.runtime.schema.ConfigSchema;
import dev.junction.spi.Capability;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorDescriptor;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loaded connector: its plugin, descriptor, parsed config schema and capability extensions.
 * It can be disabled at run time (a call threw or hung); the reason shows in the catalog.
 */
public final class ConnectorEntry {

    private final String pluginId;
    private final String pluginVersion;
    private final Connector connector;
    private final ConnectorDescriptor descriptor;
    private final ConfigSchema schema;
    private final Map<Capability, ConnectorCapability> capabilities;
    private final ClassLoader classLoader;
    private final AtomicReference<String> disabledReason = new AtomicReference<>();

    ConnectorEntry(String pluginId, String pluginVersion, Connector connector, ConnectorDescriptor descriptor,
                   ConfigSchema schema, Map<Capability, ConnectorCapability> capabilities, ClassLoader classLoader) {
        this.pluginId = pluginId;
        this.pluginVersion = pluginVersion;
        this.connector = connector;
        this.descriptor = descriptor;
        this.schema = schema;
        this.capabilities = Map.copyOf(capabilities);
        this.classLoader = classLoader;
    }

    public String slug() {
        return descriptor.slug();
    }

    public String pluginId() {
        return pluginId;
    }

    public String pluginVersion() {
        return pluginVersion;
    }

    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    public ConfigSchema schema() {
        return schema;
    }

    Connector connector() {
        return connector;
    }

    ClassLoader classLoader() {
        return classLoader;
    }

    /** The capability extension, when the connector has it. */
    public <T extends ConnectorCapability> Optional<T> capability(Capability capability, Class<T> type) {
        return Optional.ofNullable(capabilities.get(capability)).map(type::cast);
    }

    /** The capabilities its extensions provide, in {@link Capability} order. */
    public Set<Capability> capabilities() {
        return capabilities.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(capabilities.keySet()));
    }

    public boolean has(Capability capability) {
        return capabilities.containsKey(capability);
    }

    /** Why the connector is switched off, or empty when it is usable. */
    public Optional<String> disabledReason() {
        return Optional.ofNullable(disabledReason.get());
    }

    void disable(String reason) {
        disabledReason.compareAndSet(null, reason);
    }

    void enable() {
        disabledReason.set(null);
    }
}
