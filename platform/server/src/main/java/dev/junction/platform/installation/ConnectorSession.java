package dev.junction.platform.installation;

import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.PluginInvoker;
import dev.junction.spi.Capability;
import dev.junction.spi.CheckResult;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A connector opened for one installation: the one way the platform calls a connector on an
 * installation's behalf (cohort and object sync, delivery, webhooks, setting checks, the connection check). It holds the
 * installation's context (resolved config, HTTP client, state) and the secret values that must be
 * masked from whatever the connector says; both are resolved on the first call, since a caller
 * may find it has nothing to do. Opened by {@link ConnectorSessions}.
 */
public final class ConnectorSession {

    /** A call into the connector with the installation's context. */
    @FunctionalInterface
    public interface Call<T> {
        T call(ConnectorContext context) throws ConnectorException;
    }

    /** The resolved part of a session. */
    record Resolved(ConnectorContext context, Set<String> secretValues) {
        @Override
        public String toString() {
            return "Resolved[context=" + context + ", secretValues=(" + secretValues.size() + " hidden)]";
        }
    }

    private final ConnectorEntry entry;
    private final @Nullable Installation installation;
    private final PluginInvoker invoker;
    private final Supplier<Resolved> resolve;
    private Resolved resolved;

    ConnectorSession(ConnectorEntry entry, @Nullable Installation installation, PluginInvoker invoker, Supplier<Resolved> resolve) {
        this.entry = entry;
        this.installation = installation;
        this.invoker = invoker;
        this.resolve = resolve;
    }

    /** The installation (null only for a candidate being checked before it is stored). */
    public Installation installation() {
        return installation;
    }

    public ConnectorEntry connector() {
        return entry;
    }

    /** The connector's implementation of {@code capability}, if it declares it. */
    public <C extends ConnectorCapability> Optional<C> capability(Capability capability, Class<C> type) {
        return entry.capability(capability, type);
    }

    /** The context the connector gets for the installation (resolved on first use). */
    public ConnectorContext context() {
        return resolved().context();
    }

    /** The secret values of the installation's config: to mask wherever the connector's output is shown. */
    public Set<String> secretValues() {
        return resolved().secretValues();
    }

    /**
     * Calls the connector within {@code timeout} (the platform's limit for {@code operation}),
     * through the {@link PluginInvoker}: a hang, crash or disabled connector is its business.
     *
     * @throws dev.junction.platform.plugin.ConnectorUnavailableException the connector is (now) disabled
     */
    public <T> T invoke(String operation, Duration timeout, Call<T> call) throws ConnectorException {
        Resolved r = resolved();
        return invoker.invoke(entry, operation, timeout, r.secretValues(), () -> call.call(r.context()));
    }

    /** {@link #invoke(String, Duration, Call)} with the platform's time limit for ordinary calls. */
    public <T> T invoke(String operation, Call<T> call) throws ConnectorException {
        return invoke(operation, invoker.defaultTimeout(), call);
    }

    /** The connector's connection check, with the platform's time limit for ordinary calls; its message masked. */
    public CheckResult check() throws ConnectorException {
        Resolved r = resolved();
        return invoker.check(entry, r.context(), r.secretValues());
    }

    private synchronized Resolved resolved() {
        if (resolved == null) {
            resolved = resolve.get();
        }
        return resolved;
    }
}
