package dev.junction.testkit;

import dev.junction.runtime.CallDeadline;
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
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * Time: {@link Builder#virtualTime()} makes every wait through {@link #sleeper()} (the HTTP client's
 * pacing and retries, and a plugin's own polling when it is given {@code ctx.sleeper()}) advance the
 * clock instead of sleeping; {@link #withinCallLimit} runs a call as the platform does, with the
 * deadline of {@link #callLimit()}, and fails the test when the call would have run past it.
 */
public final class TestContext implements ConnectorContext {

    private final InstallationInfo installation;
    private final Map<String, Object> config;
    private final Map<String, String> platformSettings;
    private final Clock clock;
    private final InMemoryStateStore state;
    private final RecordingEventLog log;
    private final PolicyHttpClient http;
    private final Sleeper sleeper;
    private final Duration callLimit;

    private TestContext(Builder b) {
        this.sleeper = b.sleeper;
        this.callLimit = b.callLimit;
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

    /**
     * How waits are made in this context: really sleeping, or advancing a {@link MutableClock}
     * ({@link Builder#virtualTime()}). Give it to a plugin's own waiting (job polling) so that tests
     * do not sleep, e.g. {@code new MyCohortSync(ctx.sleeper()::sleep)}.
     */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** The time limit the platform would give the call under test ({@link Builder#callLimit}; default 30 s, as for {@code check}). */
    public Duration callLimit() {
        return callLimit;
    }

    /**
     * Runs one SPI call as the platform does: on another thread, with {@link #callLimit()} as its
     * deadline (so the HTTP client gives up in time, as in the platform). Fails the test with an
     * {@link AssertionError} when the call runs past the limit, counting real time plus the time
     * waited through a virtual clock's sleeper: the platform would have disabled the connector.
     * What the call returns or throws is passed on.
     * <pre>{@code
     * TestContext ctx = TestContext.builder(descriptor).callLimit(SpiCall.COHORT_RUN).virtualTime().build();
     * ctx.withinCallLimit(() -> { sync.run(ctx, run); return null; });
     * }</pre>
     */
    public <T> T withinCallLimit(Callable<T> call) throws Exception {
        Duration virtualBefore = virtualWaited();
        long start = System.nanoTime();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "testkit-spi-call");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<T> result = worker.submit(() -> CallDeadline.within(callLimit, call));
            try {
                T value = result.get(callLimit.toNanos(), TimeUnit.NANOSECONDS);
                checkTook(Duration.ofNanos(System.nanoTime() - start).plus(virtualWaited().minus(virtualBefore)));
                return value;
            } catch (TimeoutException e) {
                result.cancel(true);
                throw new AssertionError("the call ran past its limit of " + callLimit
                        + ": the platform would have disabled the connector as hung");
            } catch (ExecutionException e) {
                checkTook(Duration.ofNanos(System.nanoTime() - start).plus(virtualWaited().minus(virtualBefore)));
                if (e.getCause() instanceof Exception thrown) {
                    throw thrown;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private void checkTook(Duration took) {
        if (took.compareTo(callLimit) > 0) {
            throw new AssertionError("the call took " + took + " (waits on the virtual clock included), past its limit of "
                    + callLimit + ": the platform would have disabled the connector as hung");
        }
    }

    private Duration virtualWaited() {
        return clock instanceof MutableClock mutable ? mutable.slept() : Duration.ZERO;
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
        private Duration callLimit = SpiCall.CHECK.defaultLimit();

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

        /**
         * Virtual time: the clock is a {@link MutableClock} at the current time, and waiting advances
         * it instead of sleeping (pacing, 429 {@code Retry-After}, backoff, polling through
         * {@link TestContext#sleeper()}). Replaces {@link #clock} and {@link #sleeper}.
         */
        public Builder virtualTime() {
            MutableClock virtual = MutableClock.now();
            this.clock = virtual;
            this.sleeper = virtual.sleeper();
            return this;
        }

        /** The platform's default limit for this call, as {@link TestContext#withinCallLimit} applies it. */
        public Builder callLimit(SpiCall call) { this.callLimit = call.defaultLimit(); return this; }

        /** A time limit of its own (an operator's setting), as {@link TestContext#withinCallLimit} applies it. */
        public Builder callLimit(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("a call limit is positive: " + limit);
            }
            this.callLimit = limit;
            return this;
        }

        public TestContext build() {
            return new TestContext(this);
        }
    }
}
