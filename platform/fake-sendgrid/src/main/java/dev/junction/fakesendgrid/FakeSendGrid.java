package dev.junction.fakesendgrid;

import dev.junction.fakevendor.LoopbackServer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An in-process fake of the SendGrid v3 Marketing Campaigns API (contacts, lists, custom fields, segments,
 * exports, scopes) for tests and benchmarks.
 *
 * <p>It serves HTTP on the loopback interface with the JDK's {@code HttpServer}, checks every request
 * against SendGrid's official OpenAPI documents, enforces SendGrid's documented limits, records every
 * request, and lets tests seed and inspect state and inject faults. All methods are thread-safe.
 *
 * <pre>{@code
 * try (FakeSendGrid fake = FakeSendGrid.start()) {
 *   String listId = fake.createList("newsletter").id();
 *   // point the connector at fake.baseUrl() with fake.defaultApiKey(), run it, then:
 *   fake.awaitJobs();
 *   assertTrue(fake.contact("user@example.com").isPresent());
 *   assertEquals(List.of(), fake.violations());
 * }
 * }</pre>
 */
public final class FakeSendGrid extends SendGridAccountState {
    /**
     * The scope names of the default key, as SendGrid's permission list names Marketing access:
     * {@code marketing.read}, {@code marketing_campaigns.create|read|update|delete} and
     * {@code marketing.automation.read}. Which of them an endpoint needs is the fake's guess (README G1):
     * endpoints check {@link Permission}s, which {@link #addApiKey(String, Collection)} derives from these names.
     */
    public static final Set<String> MARKETING_SCOPES = Set.of("marketing.read", "marketing.automation.read",
            "marketing_campaigns.create", "marketing_campaigns.read", "marketing_campaigns.update", "marketing_campaigns.delete");

    /** The default API key's value unless the builder sets another; 69 characters like real SendGrid keys. */
    public static final String DEFAULT_API_KEY = "SG.junction-fake-sendgrid.default-key-with-all-marketing-scopes-00000";

    /** How {@link #failNextImport(ImportFailure)} makes the next import job end. */
    public enum ImportFailure {
        /** The job ends {@code errored}: its first contact gets an error, the others are applied. */
        ERRORED,
        /** The job ends {@code failed}: every contact gets an error and nothing is applied. */
        FAILED
    }

    private static volatile SpecValidator sharedSpec;

    final ApiKeys keys;
    volatile ValidationMode validationMode;
    final int recordBodyLimit;
    final int maxRecordedRequests;
    private final Jobs jobs;
    private final Api api;
    private final Dispatcher dispatcher;

    FakeSendGrid(FakeSendGridBuilder b) {
        // the spec is read before the port is bound, so that a broken spec leaves no port open
        this(b, spec());
    }

    private FakeSendGrid(FakeSendGridBuilder b, SpecValidator spec) {
        super(LoopbackServer.bind(b.host, b.port, "fake-sendgrid-http"), b.defaultApiKey);
        this.validationMode = b.validation;
        this.recordBodyLimit = b.recordBodyLimit;
        this.maxRecordedRequests = b.maxRecordedRequests;
        this.keys = new ApiKeys(b.defaultApiKey);
        this.jobs = new Jobs(store, b.importDelay, b.exportDelay);
        this.api = new Api(store, jobs, baseUrl(), b.maxIdsPerDelete, keys);
        this.dispatcher = new Dispatcher(this, spec, api, jobs);
        server.serve(dispatcher);
    }

    private static SpecValidator spec() {
        SpecValidator s = sharedSpec;
        if (s == null) {
            synchronized (FakeSendGrid.class) {
                s = sharedSpec;
                if (s == null) {
                    s = new SpecValidator();
                    sharedSpec = s;
                }
            }
        }
        return s;
    }

    /**
     * Starts a fake with the defaults: an ephemeral port on 127.0.0.1, strict validation, 100 ms import delay.
     *
     * @return the running fake
     */
    public static FakeSendGrid start() {
        return builder().start();
    }

    /**
     * A builder for a fake with non-default settings.
     *
     * @return a new builder
     */
    public static FakeSendGridBuilder builder() {
        return new FakeSendGridBuilder();
    }

    // ------------------------------------------------------------------ server (base URL, port, default key: FakeVendorServer)

    /** Stops the server, releases hung requests, stops jobs and deletes export files. */
    @Override
    public void close() {
        dispatcher.clearFaults();
        server.close();
        jobs.close();
    }

    /**
     * Forgets all state (contacts, lists, fields, segments, jobs, extra API keys), faults, rate limits,
     * recorded requests and violations; the default key stays. The server keeps running.
     */
    public void reset() {
        dispatcher.clearFaults();
        dispatcher.requestsPerSecond = 0;
        api.segments.pageSize = 0;
        jobs.reset();
        store.clear();
        keys.reset();
        dispatcher.resetRecording();
    }

    // ------------------------------------------------------------------ keys

    /**
     * Adds (or replaces) an API key with the given scopes and the access the fake derives from them
     * ({@link Permission#fromScopes}, a guess: README G1).
     *
     * @param key the key value clients send as {@code Authorization: Bearer <key>}
     * @param scopes its scopes, for example {@code Set.of("marketing.read")}
     */
    public void addApiKey(String key, Collection<String> scopes) {
        keys.put(key, scopes, Permission.fromScopes(scopes));
    }

    /**
     * Adds (or replaces) an API key whose access is set apart from its scope names: {@code GET /v3/scopes}
     * lists {@code scopes}, and the endpoints allow exactly {@code permissions}. For keys whose scope names
     * differ from the ones a client expects, or that carry the names without the access.
     *
     * @param key the key value clients send as {@code Authorization: Bearer <key>}
     * @param scopes the scope names {@code GET /v3/scopes} shows for it
     * @param permissions what it may do, for example {@code Permission.readAll()}
     */
    public void addApiKey(String key, Collection<String> scopes, Collection<Permission> permissions) {
        keys.put(key, scopes, permissions);
    }

    /**
     * Removes an API key; requests with it then get 401.
     *
     * @param key the key value
     */
    public void removeApiKey(String key) {
        keys.remove(key);
    }

    // ------------------------------------------------------------------ paging

    /**
     * Pages {@code GET /v3/marketing/segments/2.0}: at most this many segments per answer, the rest behind
     * {@code _metadata.next} (a {@code page_token} link, as the lists use). SendGrid documents no paging for
     * segments; this lets a test check that a client follows {@code next} should it appear. {@link #reset()}
     * turns it off.
     *
     * @param pageSize segments per page, or 0 for all in one answer (the default)
     */
    public void segmentsPageSize(int pageSize) {
        if (pageSize < 0) {
            throw new IllegalArgumentException("pageSize must be >= 0");
        }
        api.segments.pageSize = pageSize;
    }

    // ------------------------------------------------------------------ jobs

    /**
     * Waits until every queued import, delete and export job has finished (at most 30 seconds).
     *
     * @throws IllegalStateException on timeout
     */
    public void awaitJobs() {
        awaitJobs(Duration.ofSeconds(30));
    }

    /**
     * Waits until every queued import, delete and export job has finished.
     *
     * @param timeout how long to wait
     * @throws IllegalStateException on timeout
     */
    public void awaitJobs(Duration timeout) {
        try {
            if (!jobs.awaitIdle(timeout)) {
                throw new IllegalStateException("jobs still running after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Makes the next contact upsert job (submitted after this call) end {@code errored} or {@code failed}.
     * Calls queue up: two calls affect the next two jobs.
     *
     * @param failure how the job should end
     */
    public void failNextImport(ImportFailure failure) {
        jobs.forceNextImport(Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Makes the next contact export (requested after this call) end with status {@code failure} and this
     * {@code message} instead of writing files. Calls queue up.
     *
     * @param message the export's {@code message}
     */
    public void failNextExport(String message) {
        jobs.forceNextExportFailure(Objects.requireNonNull(message, "message"));
    }

    /**
     * Whether JSON export lines carry the contact's {@code list_ids} and {@code segment_ids} (when not empty).
     * Off by default: the JSON export lines SendGrid users have published carry neither (see README), and
     * SendGrid does not document the export's fields. {@link #reset()} turns it off.
     *
     * @param include true to write them
     */
    public void jsonExportListIds(boolean include) {
        jobs.jsonListIds = include;
    }

    // ------------------------------------------------------------------ faults and limits

    /**
     * Injects a fault for the next matching requests; see {@link Fault}.
     *
     * @param fault the fault
     */
    public void inject(Fault fault) {
        dispatcher.inject(Objects.requireNonNull(fault, "fault"));
    }

    /** Removes all injected faults and releases hung requests. */
    public void clearFaults() {
        dispatcher.clearFaults();
    }

    /**
     * Sets a steady rate limit: each API key may make this many requests per second to each operation
     * (method and path template); more get 429 with {@code X-RateLimit-*} headers. Every answered request then
     * carries the headers.
     *
     * @param requestsPerSecond the limit, or 0 to turn it off (the default)
     */
    public void rateLimitPerSecond(int requestsPerSecond) {
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requestsPerSecond must be >= 0");
        }
        dispatcher.requestsPerSecond = requestsPerSecond;
    }

    // ------------------------------------------------------------------ recording and validation

    /**
     * Every recorded request, oldest first (at most the builder's {@code maxRecordedRequests}, oldest dropped).
     *
     * @return the requests
     */
    public List<RecordedRequest> requests() {
        return dispatcher.requests();
    }

    /**
     * The recorded requests with this method and exactly this path (no query).
     *
     * @param method the HTTP method, any case
     * @param path the path, for example {@code /v3/marketing/contacts}
     * @return the requests, oldest first
     */
    public List<RecordedRequest> requests(String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        return dispatcher.requests().stream().filter(r -> r.method().equals(m) && r.path().equals(path)).toList();
    }

    /** Forgets the recorded requests (not the violations). */
    public void clearRequests() {
        dispatcher.clearRequests();
    }

    /**
     * Every request that violated SendGrid's OpenAPI documents (unless validation is {@link ValidationMode#OFF}).
     *
     * @return the violations, oldest first
     */
    public List<SpecViolation> violations() {
        return dispatcher.violations();
    }

    /**
     * Throws when any request violated the OpenAPI documents.
     *
     * @throws AssertionError listing the violations
     */
    public void assertNoViolations() {
        List<SpecViolation> v = violations();
        if (!v.isEmpty()) {
            throw new AssertionError(v.size() + " request(s) violated SendGrid's OpenAPI spec:\n"
                    + v.stream().map(SpecViolation::toString).collect(Collectors.joining("\n")));
        }
    }

    /**
     * The current validation mode.
     *
     * @return the mode
     */
    public ValidationMode validationMode() {
        return validationMode;
    }

    /**
     * Changes the validation mode for later requests.
     *
     * @param mode the mode
     */
    public void setValidationMode(ValidationMode mode) {
        this.validationMode = Objects.requireNonNull(mode, "mode");
    }

    @Override
    public String toString() {
        return "FakeSendGrid[" + baseUrl() + ", " + validationMode + "]";
    }
}
