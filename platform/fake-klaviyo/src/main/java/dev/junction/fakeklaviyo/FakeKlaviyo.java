package dev.junction.fakeklaviyo;

import dev.junction.fakevendor.FakeVendorServer;
import dev.junction.fakevendor.LoopbackServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process fake of Klaviyo's REST API (revision 2026-07-15) on the JDK's HTTP server: strict validation
 * against Klaviyo's OpenAPI files, API keys with scopes, the published rate limits, asynchronous jobs, webhook
 * deliveries, injected faults, and state inspection for tests ({@link FakeKlaviyoState}).
 *
 * <pre>{@code
 * try (FakeKlaviyo fake = FakeKlaviyo.start()) {
 *     client.baseUrl(fake.baseUrl()).apiKey(fake.defaultApiKey());   // instead of https://a.klaviyo.com
 *     ...
 *     fake.awaitJobs();
 *     assertEquals(2000, fake.state().listMembers(listId).size());
 *     fake.assertNoViolations();
 * }
 * }</pre>
 */
public final class FakeKlaviyo extends FakeVendorServer {
    /** The key every fake starts with; it has every scope the spec names. */
    public static final String DEFAULT_API_KEY = "pk_junction_fake_klaviyo_default_key_all_scopes";

    private static final Map<Path, KlaviyoSpec> SPECS = new ConcurrentHashMap<>();

    private final KlaviyoSpec spec;
    private final Dispatcher dispatcher;
    private final RateLimiter rateLimiter;
    private final Jobs jobs;
    private final Profiles profiles = new Profiles();
    private final Account account = new Account();
    private final WebhookSender webhooks;
    private final FakeKlaviyoState state;

    private FakeKlaviyo(Builder b) {
        // the spec is read before the port is bound: a missing spec directory leaves no port open
        this(b, SPECS.computeIfAbsent(b.specDir.toAbsolutePath().normalize(), KlaviyoSpec::new));
    }

    private FakeKlaviyo(Builder b, KlaviyoSpec spec) {
        super(LoopbackServer.bind(b.host, b.port, "fake-klaviyo-http"), b.defaultApiKey);
        this.spec = spec;
        Clock clock = Clock.systemUTC();
        this.rateLimiter = new RateLimiter(b.rateLimits);
        this.jobs = new Jobs(clock, b.jobQueued, b.jobPerThousand);
        this.webhooks = new WebhookSender(account);
        String baseUrl = baseUrl();
        Render render = new Render(baseUrl);
        ListsApi lists = new ListsApi(profiles, account, render);
        ProfilesApi profilesApi = new ProfilesApi(profiles, account, jobs, render);
        EventsApi events = new EventsApi(profiles, account, jobs, render, webhooks);
        AccountApi accountApi = new AccountApi(profiles, account, render);
        this.dispatcher = new Dispatcher(spec, rateLimiter, clock, b.validation, call -> {
            Call.Reply r = lists.handle(call);
            r = r != null ? r : profilesApi.handle(call);
            r = r != null ? r : events.handle(call);
            r = r != null ? r : accountApi.handle(call);
            if (r != null) {
                Shaping.apply(call, r.body(), profiles);
            }
            return r;
        });
        dispatcher.baseUrl = baseUrl;
        dispatcher.keys.put(b.defaultApiKey, allScopes());
        this.state = new FakeKlaviyoState(profiles, account, dispatcher, webhooks);
        server.serve(dispatcher);
    }

    /**
     * A fake with the defaults: 127.0.0.1, an ephemeral port, strict validation, rate limits OFF.
     *
     * @return the running fake
     */
    public static FakeKlaviyo start() {
        return builder().start();
    }

    /**
     * A builder for other settings.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the revision the fake serves (send it as the {@code revision} header) */
    public static String revision() {
        return KlaviyoSpec.REVISION;
    }

    /** @return the directory the OpenAPI files were read from */
    public Path specDir() {
        return spec.dir();
    }

    /** @return every scope some served operation requires */
    public Set<String> allScopes() {
        Set<String> all = new TreeSet<>();
        spec.operations().forEach(op -> all.addAll(op.scopes));
        return all;
    }

    /**
     * Adds (or replaces) a private key with these scopes, e.g. {@code accounts:read}, {@code lists:write}.
     *
     * @param key the key (conventionally {@code pk_...})
     * @param scopes its scopes
     */
    public void addApiKey(String key, Set<String> scopes) {
        dispatcher.keys.put(key, Set.copyOf(scopes));
    }

    /** @param key a key to forget (later requests with it get 401) */
    public void removeApiKey(String key) {
        dispatcher.keys.remove(key);
    }

    /** @return the state: seeding and inspection */
    public FakeKlaviyoState state() {
        return state;
    }

    /** @param mode the rate-limit mode from now on (windows restart) */
    public void rateLimits(RateLimitMode mode) {
        rateLimiter.mode(mode);
    }

    /** @param mode the validation mode from now on */
    public void validation(ValidationMode mode) {
        dispatcher.validation = mode;
    }

    /**
     * Job timing from now on: queued this long, then processing {@code perThousand} per 1,000 items.
     *
     * @param queued time in {@code queued}
     * @param perThousand processing time per started 1,000 items
     */
    public void jobTiming(Duration queued, Duration perThousand) {
        jobs.timing(queued, perThousand);
    }

    /** @param fault a fault for the next matching requests */
    public void inject(Fault fault) {
        synchronized (dispatcher.faults) {
            dispatcher.faults.add(fault);
        }
    }

    /** Removes all injected faults. */
    public void clearFaults() {
        dispatcher.clearFaults();
    }

    /**
     * Waits until every submitted job has applied its effects (10 s at most).
     *
     * @throws IllegalStateException when jobs are still running after 10 s
     */
    public void awaitJobs() {
        try {
            if (!jobs.await(Duration.ofSeconds(10))) {
                throw new IllegalStateException("jobs still running after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the violations recorded so far */
    public List<Violation> violations() {
        return List.copyOf(dispatcher.violations);
    }

    /** Fails with every recorded violation listed, if there is any. */
    public void assertNoViolations() {
        List<Violation> v = violations();
        if (!v.isEmpty()) {
            StringBuilder sb = new StringBuilder(v.size() + " request(s) broke Klaviyo's spec:");
            v.forEach(x -> sb.append("\n  ").append(x));
            throw new AssertionError(sb.toString());
        }
    }

    /** @return the recorded requests (the last 100,000), oldest first */
    public List<RecordedRequest> requests() {
        return List.copyOf(dispatcher.requests);
    }

    /**
     * @param operationId the spec's operationId
     * @return the recorded requests of that operation
     */
    public List<RecordedRequest> requests(String operationId) {
        return dispatcher.requests.stream().filter(r -> operationId.equals(r.operationId())).toList();
    }

    /** @return requests answered per operationId (unknown paths as "METHOD path"), since start or reset */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        dispatcher.counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Forgets all state, jobs, faults, recordings, rate windows and extra keys; the default key stays. */
    public void reset() {
        awaitJobsQuietly();
        profiles.clear();
        account.clear();
        jobs.clear();
        webhooks.clear();
        dispatcher.clearFaults();
        dispatcher.requests.clear();
        dispatcher.recorded.set(0);
        dispatcher.counts.clear();
        dispatcher.violations.clear();
        dispatcher.keys.keySet().removeIf(k -> !k.equals(defaultApiKey()));
        rateLimiter.clear();
    }

    private void awaitJobsQuietly() {
        try {
            jobs.await(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        dispatcher.clearFaults();
        server.close();
        jobs.close();
    }

    /** Settings of a fake. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Path specDir;
        private ValidationMode validation = ValidationMode.STRICT;
        private RateLimitMode rateLimits = RateLimitMode.OFF;
        private Duration jobQueued = Duration.ofMillis(50);
        private Duration jobPerThousand = Duration.ofMillis(20);
        private String defaultApiKey = DEFAULT_API_KEY;

        private Builder() {
        }

        /** @param value address to bind (default 127.0.0.1) @return this */
        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /** @param value port (default 0: ephemeral) @return this */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** @param dir directory of Klaviyo's OpenAPI files (default: see README) @return this */
        public Builder specDir(Path dir) {
            this.specDir = dir;
            return this;
        }

        /** @param mode validation mode (default STRICT) @return this */
        public Builder validation(ValidationMode mode) {
            this.validation = mode;
            return this;
        }

        /** @param mode rate limits (default OFF) @return this */
        public Builder rateLimits(RateLimitMode mode) {
            this.rateLimits = mode;
            return this;
        }

        /** @param queued time queued @param perThousand processing per 1,000 items @return this */
        public Builder jobTiming(Duration queued, Duration perThousand) {
            this.jobQueued = queued;
            this.jobPerThousand = perThousand;
            return this;
        }

        /** @param key the default key (all scopes) @return this */
        public Builder defaultApiKey(String key) {
            this.defaultApiKey = key;
            return this;
        }

        ValidationMode validationMode() {
            return validation;
        }

        RateLimitMode rateLimitMode() {
            return rateLimits;
        }

        /** @return the running fake */
        public FakeKlaviyo start() {
            if (specDir == null) {
                specDir = KlaviyoSpec.defaultDir();
            }
            return new FakeKlaviyo(this);
        }
    }
}
