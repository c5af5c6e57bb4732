package dev.junction.platform.installation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.plugin.ConnectorUnavailableException;
import dev.junction.platform.plugin.PluginInvoker;
import dev.junction.platform.secret.SecretService;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.PermanentConnectorException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.Optional;
import java.util.UUID;

/**
 * Opens {@link ConnectorSession}s. Whether the installation is there and usable is a result
 * ({@link Opening}), not an exception: a background run whose installation was deleted, or whose
 * connector is disabled, decides what that means for it.
 */
@Singleton
public class ConnectorSessions {

    /** What opening a session for an installation gave. */
    public sealed interface Opening permits Opened, Gone, Unavailable { }

    /** The installation is enabled and its connector loaded. */
    public record Opened(ConnectorSession session) implements Opening { }

    /** The installation no longer exists (deleted; or never was, for this tenant). */
    public record Gone() implements Opening { }

    /** The installation exists but cannot be served now: it is disabled, or its connector is missing or disabled. */
    public record Unavailable(Installation installation, String reason) implements Opening { }

    private final InstallationRepository installations;
    private final SecretService secrets;
    private final ConnectorContexts contexts;
    private final ConnectorRegistry registry;
    private final PluginInvoker invoker;
    private final TransactionOperations<Connection> tx;

    ConnectorSessions(InstallationRepository installations, SecretService secrets, ConnectorContexts contexts,
                      ConnectorRegistry registry, PluginInvoker invoker, TransactionOperations<Connection> tx) {
        this.installations = installations;
        this.secrets = secrets;
        this.contexts = contexts;
        this.registry = registry;
        this.invoker = invoker;
        this.tx = tx;
    }

    /** Why a session could not be opened (not for {@link Opened}), for a run that ends for it. */
    public static String whyNot(Opening opening) {
        if (opening instanceof Unavailable unavailable) {
            return unavailable.reason();
        }
        if (opening instanceof Gone) {
            return "The installation was deleted";
        }
        throw new IllegalArgumentException("the session was opened");
    }

    /** A session and the one capability a background run uses of it. */
    public record Bound<C extends ConnectorCapability>(ConnectorSession session, C capability) { }

    /**
     * Opens a session for a background run of one capability. A run cannot go on without it: an
     * installation that is gone or unavailable, or a connector that no longer has the capability,
     * ends the run ({@link PermanentConnectorException}, whose message says why).
     */
    public <C extends ConnectorCapability> Bound<C> openFor(TenantId tenant, UUID installationId, Capability capability,
                                                            Class<C> type) throws PermanentConnectorException {
        Opening opening = open(tenant, installationId);
        if (!(opening instanceof Opened opened)) {
            throw new PermanentConnectorException("installation_unavailable", whyNot(opening));
        }
        ConnectorSession session = opened.session();
        C found = session.capability(capability, type).orElseThrow(() -> new PermanentConnectorException(
                "capability_removed", "The " + session.connector().slug() + " integration no longer has " + capability.name()));
        return new Bound<>(session, found);
    }

    /** Opens a session for the tenant's installation. */
    public Opening open(TenantId tenant, UUID installationId) {
        Optional<Installation> found = tx.executeRead(s -> installations.find(tenant, installationId));
        if (found.isEmpty()) {
            return new Gone();
        }
        Installation installation = found.get();
        if (installation.status() != Installation.Status.ENABLED) {
            return new Unavailable(installation, "The installation is disabled");
        }
        Optional<ConnectorEntry> entry = registry.find(installation.connector());
        if (entry.isEmpty()) {
            return new Unavailable(installation, "Integration '" + installation.connector() + "' does not exist");
        }
        Optional<String> disabled = entry.get().disabledReason();
        if (disabled.isPresent()) {
            return new Unavailable(installation, new ConnectorUnavailableException(entry.get().slug(), disabled.get()).getMessage());
        }
        return new Opened(forInstallation(entry.get(), installation));
    }

    /**
     * A session for a stored installation whose connector the caller already has (enabled or not):
     * for callers that decide themselves what a missing or disabled installation means to them (a
     * webhook answers 404).
     */
    public ConnectorSession forInstallation(ConnectorEntry entry, Installation installation) {
        return new ConnectorSession(entry, installation, invoker, () -> {
            ObjectNode config = resolvedConfig(installation);
            return new ConnectorSession.Resolved(contexts.forInstallation(entry, installation, config),
                    ConfigFields.secretValues(entry, config));
        });
    }

    /** A session for an installation being created, checked before it is stored. */
    ConnectorSession forCandidate(ConnectorEntry entry, TenantId tenant, UUID id, String name, String variant, String deliveryMode,
                                  ObjectNode config) {
        return new ConnectorSession(entry, null, invoker, () -> new ConnectorSession.Resolved(
                contexts.forCandidate(entry, tenant, id, name, variant, deliveryMode, config), ConfigFields.secretValues(entry, config)));
    }

    /** The installation's full config, secret values included: for building a connector context only. */
    ObjectNode resolvedConfig(Installation installation) {
        ObjectNode config = installation.config().deepCopy();
        for (String field : installation.secretFields()) {
            String value = secrets.reveal(installation.tenantId(), InstallationService.secretName(installation.id(), field))
                    .orElseThrow(() -> new IllegalStateException("secret field " + field + " of installation "
                            + installation.id() + " is missing from the secret store"));
            config.put(field, value);
        }
        return config;
    }
}
