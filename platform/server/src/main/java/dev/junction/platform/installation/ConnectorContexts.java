package dev.junction.platform.installation;

import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.eventlog.ConnectorActivityLog;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.runtime.ConnectorContextParts;
import dev.junction.runtime.JacksonJson;
import dev.junction.runtime.MapStateStore;
import dev.junction.runtime.http.AddressGuard;
import dev.junction.runtime.http.PolicyHttpClient;
import dev.junction.runtime.http.Sleeper;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.DeliveryMode;
import dev.junction.spi.EventLog;
import dev.junction.spi.InstallationInfo;
import dev.junction.spi.StateStore;
import io.micronaut.context.env.Environment;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link ConnectorContext} a connector gets for an installation: resolved config, the
 * policy HTTP client (one per installation, so pacing holds across calls), the activity log, the
 * database state store, and platform settings read from {@code junction.<slug>.<name>}
 * (environment variable {@code JUNCTION_<SLUG>_<NAME>}).
 */
@Singleton
class ConnectorContexts {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    private final Environment environment;
    private final ConnectorActivityLog activity;
    private final InstallationStateRepository stateRepository;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final PlatformMetrics metrics;
    private final HttpClient jdkClient = PolicyHttpClient.defaultJdkClient();
    private final Map<UUID, PolicyHttpClient> httpClients = new ConcurrentHashMap<>();

    ConnectorContexts(Environment environment, ConnectorActivityLog activity, InstallationStateRepository stateRepository,
                      TransactionOperations<Connection> tx, Clock clock, PlatformMetrics metrics) {
        this.metrics = metrics;
        this.environment = environment;
        this.activity = activity;
        this.stateRepository = stateRepository;
        this.tx = tx;
        this.clock = clock;
    }

    /** The context of a stored installation; {@code resolvedConfig} includes its secret values. */
    public ConnectorContext forInstallation(ConnectorEntry connector, Installation installation, ObjectNode resolvedConfig) {
        StateStore state = new DatabaseStateStore(stateRepository, tx, installation.tenantId(), installation.id(), clock);
        PolicyHttpClient http = httpClients.computeIfAbsent(installation.id(),
                k -> httpClient(connector, installation.tenantId(), installation.id()));
        return context(connector, installation.tenantId(), installation.id(), installation.name(), installation.variant(),
                installation.deliveryMode(), resolvedConfig, state, http);
    }

    /** A context for checking a config before the installation exists: state lives in memory only. */
    ConnectorContext forCandidate(ConnectorEntry connector, TenantId tenant, UUID id, String name, String variant,
                                  String deliveryMode, ObjectNode resolvedConfig) {
        // not cached: a candidate that fails its check never becomes an installation
        return context(connector, tenant, id, name, variant, deliveryMode, resolvedConfig, new MapStateStore(),
                httpClient(connector, tenant, id));
    }

    /** Forgets per-installation resources (the HTTP client and its pacing) of a deleted installation. */
    void forget(UUID installationId) {
        httpClients.remove(installationId);
    }

    private PolicyHttpClient httpClient(ConnectorEntry connector, TenantId tenant, UUID id) {
        Set<String> operatorHosts = operatorHosts(connector);
        Set<String> hosts = new LinkedHashSet<>(connector.descriptor().allowedHosts());
        hosts.addAll(operatorHosts);
        // SSRF: no call reaches an address inside the network, except a host the operator named in a
        // base URL, unless the operator allows private addresses outright
        boolean allowPrivate = environment.getProperty("junction.http.allow-private-addresses", Boolean.class).orElse(false);
        AddressGuard guard = allowPrivate ? AddressGuard.OFF : AddressGuard.refusingPrivate(operatorHosts);
        return new PolicyHttpClient(jdkClient, hosts, connector.descriptor().requestsPerSecond(), clock,
                Sleeper.SYSTEM, attempt -> {
                    metrics.vendorCall(connector.slug(), attempt.status(), attempt.latency());
                    activity.httpAttempt(tenant, id, connector.slug(), attempt);
                }, guard);
    }

    private ConnectorContext context(ConnectorEntry connector, TenantId tenant, UUID id, String name, String variant,
                                     String deliveryMode, ObjectNode resolvedConfig, StateStore state, PolicyHttpClient http) {
        String slug = connector.slug();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = Collections.unmodifiableMap(JSON.convertValue(resolvedConfig, Map.class));
        InstallationInfo info = new InstallationInfo(id.toString(), name, variant,
                DeliveryMode.valueOf(deliveryMode.toUpperCase(Locale.ROOT)));
        EventLog log = (level, entryName, message, fields) -> activity.entry(tenant, id, slug, level, entryName, message, fields);
        return new ConnectorContextParts(info, () -> config, http, log, clock, state, JacksonJson.INSTANCE,
                settingName -> platformSetting(slug, settingName));
    }

    Optional<String> platformSetting(String slug, String name) {
        return environment.getProperty("junction." + slug + "." + name.replace('_', '-'), String.class);
    }

    /** The host of any URL the operator set for this connector (allowed besides the descriptor's hosts). */
    private Set<String> operatorHosts(ConnectorEntry connector) {
        Set<String> hosts = new LinkedHashSet<>();
        environment.getProperties("junction." + connector.slug()).values().forEach(value -> {
            if (value instanceof CharSequence url && url.toString().contains("://")) {
                try {
                    Optional.ofNullable(URI.create(url.toString()).getHost()).ifPresent(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
                } catch (IllegalArgumentException ignored) {
                    // not a URL: contributes no host
                }
            }
        });
        return hosts;
    }
}
