package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.junction.fakeklaviyo.Call.Reply;
import dev.junction.fakeklaviyo.JsonApi.ApiError;
import dev.junction.fakevendor.HttpAnswers;
import dev.junction.fakevendor.QueryStrings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The HTTP front: for every request, in order, operation lookup (404/405), injected faults, authentication (401),
 * scopes (403), rate limits (429), body size (413), spec validation (400/415), then the handler. Every answer is
 * recorded; every refusal for breaking the spec or a limit it states is a {@link Violation}.
 */
final class Dispatcher implements HttpHandler {
    /** G2: "5MB" read as 5,000,000 bytes (the stricter reading), for the two bulk jobs that state it. */
    static final int MAX_BULK_BYTES = 5_000_000;
    private static final Set<String> BULK_5MB = Set.of("bulk_import_profiles", "bulk_create_events");
    private static final String KEY_PREFIX = "Klaviyo-API-Key ";

    private final KlaviyoSpec spec;
    private final RequestValidator validator;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final Function<Call, Reply> handlers;
    final Map<String, Set<String>> keys = new ConcurrentHashMap<>();
    final List<Fault> faults = new ArrayList<>();
    private final Map<Fault, AtomicInteger> faultUses = new ConcurrentHashMap<>();
    final ConcurrentLinkedDeque<RecordedRequest> requests = new ConcurrentLinkedDeque<>();
    final AtomicInteger recorded = new AtomicInteger();
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    final List<Violation> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile ValidationMode validation;
    volatile int maxRecorded = 100_000;
    volatile int recordBodyLimit = 64 * 1024;
    volatile String baseUrl;

    Dispatcher(KlaviyoSpec spec, RateLimiter rateLimiter, Clock clock, ValidationMode validation,
            Function<Call, Reply> handlers) {
        this.spec = spec;
        this.validator = new RequestValidator(spec);
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        this.validation = validation;
        this.handlers = handlers;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        Instant now = clock.instant();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        KlaviyoSpec.Match match = spec.match(method, path).orElse(null);
        String operationId = match == null ? null : match.operation().operationId;
        Answer answer;
        try {
            answer = answer(exchange, method, path, rawQuery, raw, body, match, now);
        } catch (RuntimeException e) {
            // A bug of the fake, not of the client: say so in the answer rather than dropping the connection.
            answer = error(ApiError.of(500, "error", "A server error occurred.", "The fake failed: " + e),
                    Map.of());
        }
        // recorded before the answer leaves: a client that has its answer finds its request recorded
        counts.computeIfAbsent(operationId == null ? method + " " + path : operationId, k -> new AtomicLong())
                .incrementAndGet();
        String recordedBody = raw.length == 0 ? null
                : body.length() > recordBodyLimit ? body.substring(0, recordBodyLimit) : body;
        requests.addLast(new RecordedRequest(now, method, path, rawQuery, operationId, answer.status, raw.length,
                recordedBody, Duration.ofNanos(System.nanoTime() - started)));
        // ConcurrentLinkedDeque.size() walks the deque: keep a count instead.
        if (recorded.incrementAndGet() > maxRecorded && requests.pollFirst() != null) {
            recorded.decrementAndGet();
        }
        try {
            send(exchange, answer);
        } finally {
            exchange.close();
        }
    }

    /** A status, a JSON body (or null) and extra headers. */
    private record Answer(int status, JsonNode body, Map<String, String> headers) {}

    private Answer answer(HttpExchange exchange, String method, String path, String rawQuery, byte[] raw,
            String body, KlaviyoSpec.Match match, Instant now) {
        if (match == null) {
            boolean known = spec.knowsPath(path);
            ApiError e = known
                    ? ApiError.of(405, "method_not_allowed", "Method not allowed.", "Method \"" + method
                            + "\" not allowed.")
                    : ApiError.of(404, "not_found", "Not found.", "No Klaviyo operation at " + path + ".");
            violations.add(new Violation(now, method, path, null, e.status(), e.detail(), null));
            return error(e, Map.of());
        }
        KlaviyoSpec.Operation op = match.operation();
        Answer faulted = fault(op.operationId);
        if (faulted != null) {
            return faulted;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith(KEY_PREFIX)) {
            return error(ApiError.of(401, "not_authenticated", "Authentication credentials were not provided.",
                    "Missing or invalid authorization scheme. Please use Klaviyo-API-Key."), Map.of());
        }
        String key = auth.substring(KEY_PREFIX.length()).trim();
        Set<String> scopes = keys.get(key);
        if (scopes == null) {
            return error(ApiError.of(401, "authentication_failed", "Incorrect authentication credentials.",
                    "Incorrect authentication credentials."), Map.of());
        }
        List<String> missing = op.scopes.stream().filter(s -> !scopes.contains(s)).toList();
        if (!missing.isEmpty()) {
            return error(ApiError.of(403, "permission_denied", "You do not have permission to perform this action.",
                    "This API key is missing required scopes: " + String.join(", ", missing) + "."), Map.of());
        }
        RateLimiter.Decision rate = rateLimiter.acquire(key, op, clock.millis());
        if (!rate.allowed()) {
            return error(ApiError.of(429, "throttled", "Request was throttled.", "Request was throttled. Expected "
                    + "available in " + rate.retryAfterSeconds() + " second"
                    + (rate.retryAfterSeconds() == 1 ? "" : "s") + "."),
                    Map.of("Retry-After", String.valueOf(rate.retryAfterSeconds())));
        }
        Map<String, String> rateHeaders = rateLimiter.mode().enforced()
                ? Map.of("RateLimit-Limit", String.valueOf(rate.limit()), "RateLimit-Remaining",
                        String.valueOf(rate.remaining()), "RateLimit-Reset", String.valueOf(rate.resetSeconds()))
                : Map.of();
        if (BULK_5MB.contains(op.operationId) && raw.length > MAX_BULK_BYTES) {
            ApiError e = new ApiError(413, "request_too_large", "Payload too large.", "The payload is "
                    + raw.length + " bytes; at most 5MB (" + MAX_BULK_BYTES + " bytes) is allowed.", "/", null);
            violations.add(new Violation(now, method, path, op.operationId, 413, e.detail(), "/"));
            return error(e, rateHeaders);
        }
        Map<String, List<String>> query = QueryStrings.parse(rawQuery);
        JsonNode parsed = parse(body);
        if (validation != ValidationMode.OFF) {
            List<ApiError> problems = validator.validate(match, query,
                    exchange.getRequestHeaders().getFirst("revision"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, parsed);
            for (ApiError p : problems) {
                violations.add(new Violation(now, method, path, op.operationId, p.status(), p.detail(),
                        p.parameter() != null ? p.parameter() : p.pointer()));
            }
            if (!problems.isEmpty() && validation == ValidationMode.STRICT) {
                int status = problems.stream().anyMatch(p -> p.status() == 415) ? 415 : 400;
                return new Answer(status, JsonApi.errors(problems), rateHeaders);
            }
        }
        Call call = new Call(match, query, parsed == null ? JsonApi.MAPPER.missingNode() : parsed, raw.length,
                baseUrl, path, now);
        try {
            Reply reply = handlers.apply(call);
            if (reply == null) {
                return error(ApiError.of(501, "not_implemented", "Not implemented.", "The fake does not model "
                        + op.operationId + "."), rateHeaders);
            }
            return new Answer(reply.status(), reply.body(), rateHeaders);
        } catch (ApiException e) {
            if (e.status() == 400 || e.status() == 413) {
                ApiError first = e.errors.get(0);
                violations.add(new Violation(now, method, path, op.operationId, e.status(), first.detail(),
                        first.parameter() != null ? first.parameter() : first.pointer()));
            }
            return new Answer(e.status(), JsonApi.errors(e.errors), rateHeaders);
        } catch (RuntimeException e) {
            return error(ApiError.of(500, "error", "A server error occurred.", "The fake failed: " + e), rateHeaders);
        }
    }

    private Answer fault(String operationId) {
        Fault hit = null;
        synchronized (faults) {
            for (Fault f : faults) {
                if (f.matches(operationId)) {
                    hit = f;
                    int used = faultUses.computeIfAbsent(f, x -> new AtomicInteger()).incrementAndGet();
                    if (used >= f.times) {
                        faults.remove(f);
                        faultUses.remove(f);
                    }
                    break;
                }
            }
        }
        if (hit == null) {
            return null;
        }
        switch (hit.kind) {
            case DELAY -> {
                try {
                    Thread.sleep(hit.duration.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }
            case RATE_LIMIT -> {
                long seconds = Math.max(1, (hit.duration.toMillis() + 999) / 1000);
                return error(ApiError.of(429, "throttled", "Request was throttled.",
                        "Request was throttled. Expected available in " + seconds + " seconds."),
                        Map.of("Retry-After", String.valueOf(seconds)));
            }
            default -> {
                return error(ApiError.of(hit.status, "error", "A server error occurred.",
                        "Injected fault: status " + hit.status + "."), Map.of());
            }
        }
    }

    private static Answer error(ApiError e, Map<String, String> headers) {
        return new Answer(e.status(), JsonApi.errors(List.of(e)), headers);
    }

    private static JsonNode parse(String body) {
        if (body.isEmpty()) {
            return null;
        }
        try {
            return JsonApi.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        HttpAnswers.send(exchange, answer.status, answer.headers, JsonApi.MEDIA_TYPE,
                answer.body == null ? null : JsonApi.MAPPER.writeValueAsBytes(answer.body));
    }

    void clearFaults() {
        synchronized (faults) {
            faults.clear();
            faultUses.clear();
        }
    }
}
