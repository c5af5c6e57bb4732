package dev.junction.testkit;

import dev.junction.runtime.JacksonJson;
import dev.junction.runtime.http.PolicyHttpClient;
import dev.junction.runtime.http.Sleeper;
import dev.junction.spi.ConnectorConfig;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.ConnectorHttp;
import dev.junction.spi.DeliveryMode;
import dev.junction.spi.EventLog;
import dev.junction.spi.InstallationInfo;
import dev.junction.spi.Json;
import dev.junction.spi.StateStore;
import dev.junction.spi.Variant;

import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An in-memory {@link ConnectorContext}: config as given, state in a map, event log recorded, and
 * the platform's real HTTP policy client (allowed hosts, pacing, 429 and 5xx retries, masking).
 * <pre>{@code
 * TestContext ctx = TestContext.builder(connector.descriptor())
 *         .config(Map.of("api_key", "SG.test"))
 *         .platformSetting("api_url", fake.baseUrl())
 *         .build();
 * CheckResult r = connector.check(ctx);
 * assertTrue(ctx.eventLog().dump().contains("GET"));
 * }</pre>
 */
public final class TestContext implements ConnectorContext {

    private final InstallationInfo installation;
    private final Map<String, Object> config;
    private final Map<String, String> platformSettings;
    private final Clock clock;
    private final InMemoryStateStore state;
    private final RecordingEventLog log;
    private final PolicyHttpClient http;

    private TestContext(Builder b) {
        this.installation = b.installation;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.platformSettings = Map.copyOf(b.platformSettings);
        this.clock = b.clock;
        this.state = b.state;
        this.log = new RecordingEventLog();
        Set<String> hosts = new LinkedHashSet<>(b.allowedHosts);
        platformSettings.values().forEach(v -> hostOf(v).ifPresent(hosts::add));
        this.http = new PolicyHttpClient(PolicyHttpClient.defaultJdkClient(), hosts, b.requestsPerSecond, clock,
                b.sleeper, log::recordHttp);
    }

    /** Starts a context for the connector with this descriptor (its allowed hosts and request rate). */
    public static Builder builder(ConnectorDescriptor descriptor) {
        return new Builder(descriptor);
    }

    @Override
    public InstallationInfo installation() {
        return installation;
    }

    @Override
    public ConnectorConfig config() {
        return () -> config;
    }

    @Override
    public ConnectorHttp http() {
        return http;
    }

    @Override
    public EventLog log() {
        return log;
    }

    /** The recording log, for assertions. */
    public RecordingEventLog eventLog() {
        return log;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public StateStore state() {
        return state;
    }

    /** The in-memory state, for assertions. */
    public InMemoryStateStore stateStore() {
        return state;
    }

    @Override
    public Json json() {
        return JacksonJson.INSTANCE;
    }

    @Override
    public Optional<String> platformSetting(String name) {
        return Optional.ofNullable(platformSettings.get(name));
    }

    private static Optional<String> hostOf(String value) {
        try {
            URI u = URI.create(value);
            return Optional.ofNullable(u.getHost()).map(h -> h.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Builds a {@link TestContext}. */
    public static final class Builder {
        private InstallationInfo installation = new InstallationInfo(UUID.randomUUID().toString(), "Test installation",
                Variant.DEFAULT, DeliveryMode.SERVER_SIDE);
        private final Map<String, Object> config = new LinkedHashMap<>();
        private final Map<String, String> platformSettings = new LinkedHashMap<>();
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private InMemoryStateStore state = new InMemoryStateStore();
        private double requestsPerSecond;

        private Builder(ConnectorDescriptor descriptor) {
            allowedHosts.addAll(descriptor.allowedHosts());
            requestsPerSecond = descriptor.requestsPerSecond();
        }

        public Builder installation(InstallationInfo installation) { this.installation = installation; return this; }

        /** The installation config, as the platform would resolve it (secrets in plain text). */
        public Builder config(Map<String, ?> config) { this.config.putAll(config); return this; }

        /**
         * An operator setting, as {@code JUNCTION_<SLUG>_<NAME>} would give it; a URL's host becomes
         * an allowed host, as in the platform.
         */
        public Builder platformSetting(String name, String value) { platformSettings.put(name, value); return this; }

        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /** How the HTTP client waits between retries (tests pass one that does not really sleep). */
        public Builder sleeper(Sleeper sleeper) { this.sleeper = sleeper; return this; }

        /** Share state between contexts (two calls of the same installation). */
        public Builder state(InMemoryStateStore state) { this.state = state; return this; }

        public Builder requestsPerSecond(double rate) { this.requestsPerSecond = rate; return this; }

        public TestContext build() {
            return new TestContext(this);
        }
    }
}
