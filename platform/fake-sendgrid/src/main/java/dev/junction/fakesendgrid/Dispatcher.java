package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.junction.fakevendor.HttpAnswers;
import dev.junction.fakevendor.QueryStrings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handles every HTTP request: fault injection, fake file downloads, authentication, rate limiting,
 * scopes, OpenAPI validation, the modeled operations, and recording.
 */
final class Dispatcher implements HttpHandler {
    /** The most the fake reads of any body; larger bodies are refused with 413 unread. */
    static final long MAX_BODY_BYTES = 32L * 1024 * 1024;
    static final String RATE_LIMIT_HEADER_LIMIT = "X-RateLimit-Limit";
    static final String RATE_LIMIT_HEADER_REMAINING = "X-RateLimit-Remaining";
    static final String RATE_LIMIT_HEADER_RESET = "X-RateLimit-Reset";
    /** The limit reported with injected 429s when no steady limit is configured. */
    static final int DEFAULT_REPORTED_LIMIT = 600;

    private final FakeSendGrid fake;
    private final SpecValidator spec;
    private final Api api;
    private final Jobs jobs;

    private final ActiveFaults faults = new ActiveFaults();

    // steady rate limit: key + operation -> window
    private static final class Window {
        long second;
        int count;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    volatile int requestsPerSecond;

    private final Recording recording = new Recording();

    Dispatcher(FakeSendGrid fake, SpecValidator spec, Api api, Jobs jobs) {
        this.fake = fake;
        this.spec = spec;
        this.api = api;
        this.jobs = jobs;
    }

    // ------------------------------------------------------------------ control

    void inject(Fault fault) {
        faults.inject(fault);
    }

    void clearFaults() {
        faults.clear();
    }

    void resetRecording() {
        recording.clear();
        windows.clear();
    }

    void clearRequests() {
        recording.clearRequests();
    }

    List<RecordedRequest> requests() {
        return recording.requests();
    }

    List<SpecViolation> violations() {
        return recording.violations();
    }

    // ------------------------------------------------------------------ handling

    /** Mutable state of one exchange, for recording. */
    private static final class Exchange {
        final HttpExchange http;
        final Instant at = Instant.now();
        final long start = System.nanoTime();
        final String method;
        final String path;
        final String rawQuery;
        byte[] body = new byte[0];
        long bodySize;
        int batchSize = -1;
        int status;
        boolean recorded;
        final Map<String, String> headers = new LinkedHashMap<>();

        Exchange(HttpExchange http) {
            this.http = http;
            this.method = http.getRequestMethod().toUpperCase(Locale.ROOT);
            this.rawQuery = http.getRequestURI().getRawQuery() == null ? "" : http.getRequestURI().getRawQuery();
            this.path = QueryStrings.decodePath(http.getRequestURI().getRawPath());
        }
    }

    @Override
    public void handle(HttpExchange http) {
        Exchange ex = new Exchange(http);
        try {
            process(ex);
        } catch (ApiError e) {
            send(ex, e.status, e.status == 400 && e.field == null ? Json.errorWithoutField(e.getMessage())
                    : Json.errors(e.field, e.getMessage()));
        } catch (HangUp e) {
            ex.status = 0;
        } catch (Exception e) {
            send(ex, 500, Json.errors(null, "fake-sendgrid internal error: " + e));
        } finally {
            record(ex);
            http.close();
        }
    }

    /** Thrown to drop the connection without an answer. */
    private static final class HangUp extends RuntimeException {
        HangUp() {
            super(null, null, false, false);
        }
    }

    private void process(Exchange ex) throws IOException, InterruptedException {
        readBody(ex);
        Fault fault = faults.take(ex.method, ex.path);
        if (fault != null) {
            switch (fault.kind) {
                case RATE_LIMIT -> {
                    long reset = (System.currentTimeMillis() + fault.duration.toMillis() + 999) / 1000;
                    int limit = requestsPerSecond > 0 ? requestsPerSecond : DEFAULT_REPORTED_LIMIT;
                    rateLimitHeaders(ex, limit, 0, reset);
                    send(ex, 429, Json.errors(null, "too many requests"));
                    return;
                }
                case STATUS -> {
                    send(ex, fault.status, Json.errors(null, fault.status >= 500 ? "internal server error (injected)" : "injected error"));
                    return;
                }
                case DELAY -> Thread.sleep(fault.duration.toMillis());
                case HANG -> {
                    faults.awaitRelease(fault.duration);
                    throw new HangUp();
                }
                default -> throw new IllegalStateException();
            }
        }
        if (ex.path.startsWith("/_fake/")) {
            serveFile(ex);
            return;
        }
        if (ex.bodySize > MAX_BODY_BYTES) {
            send(ex, 413, Json.errors(null, "request body too large"));
            return;
        }
        // Authentication.
        String key = bearer(ex.http.getRequestHeaders().getFirst("Authorization"));
        if (key == null) {
            send(ex, 401, Json.errors(null, "authorization required"));
            return;
        }
        ApiKeys.Key apiKey = fake.keys.get(key);
        if (apiKey == null) {
            send(ex, 401, Json.errors(null, "The provided authorization grant is invalid, expired, or revoked"));
            return;
        }
        ValidationMode mode = fake.validationMode;
        Optional<SpecValidator.Match> match = spec.match(ex.method, ex.path);
        if (match.isEmpty()) {
            boolean knownPath = spec.knowsPath(ex.path);
            if (mode != ValidationMode.OFF) {
                recording.violation(new SpecViolation(ex.at, ex.method, ex.path, null, List.of(knownPath
                        ? "SendGrid's OpenAPI documents define no " + ex.method + " operation for this path"
                        : "no operation in SendGrid's OpenAPI documents matches this path")));
            }
            send(ex, knownPath ? 405 : 404, Json.errors(null, knownPath ? "method not allowed" : "resource not found"));
            return;
        }
        SpecValidator.Operation op = match.get().operation();
        // Steady per-key rate limit, per operation.
        int rps = requestsPerSecond;
        if (rps > 0) {
            long now = System.currentTimeMillis();
            long second = now / 1000;
            Window w = windows.computeIfAbsent(key + " " + op.method + " " + op.template, k -> new Window());
            int used;
            synchronized (w) {
                if (w.second != second) {
                    w.second = second;
                    w.count = 0;
                }
                used = ++w.count;
            }
            rateLimitHeaders(ex, rps, Math.max(0, rps - used), second + 1);
            if (used > rps) {
                send(ex, 429, Json.errors(null, "too many requests"));
                return;
            }
        }
        Api.Route route = api.route(op.method, op.template);
        if (route != null && route.permission() != null && !apiKey.permissions().contains(route.permission())) {
            // the body of the spec's example 403 (tsg_scopes_v3.json GetScopes403); SendGrid names no permission
            send(ex, 403, Json.errors(null, "access forbidden"));
            return;
        }
        if ("PUT".equals(ex.method) && "/v3/marketing/contacts".equals(op.template) && ex.bodySize > Api.MAX_UPSERT_BYTES) {
            send(ex, 413, Json.errors(null, "request body is " + ex.bodySize + " bytes; SendGrid accepts at most 6MB ("
                    + Api.MAX_UPSERT_BYTES + " bytes) per contacts upsert"));
            return;
        }
        JsonNode json = null;
        String bodyText = null;
        if (ex.body.length > 0) {
            bodyText = new String(ex.body, StandardCharsets.UTF_8);
            try {
                json = Json.parse(ex.body);
            } catch (IOException e) {
                json = null;
            }
        }
        Map<String, List<String>> query = QueryStrings.parse(ex.rawQuery);
        ex.batchSize = batchSize(ex.method, op.template, json, query);
        if (mode != ValidationMode.OFF) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.http.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            List<String> problems = spec.validate(match.get(), query, headers,
                    ex.http.getRequestHeaders().getFirst("Content-Type"), ex.body, bodyText, json);
            if (!problems.isEmpty()) {
                recording.violation(new SpecViolation(ex.at, ex.method, ex.path, op.operationId(), problems));
                if (mode == ValidationMode.STRICT) {
                    var body = Json.object();
                    var errors = body.putArray("errors");
                    for (String p : problems) {
                        // no "field": the spec's 400 schemas type it as a string
                        errors.addObject().put("message", "OpenAPI violation (" + op.operationId() + "): " + p);
                    }
                    ex.headers.put("X-Fake-SendGrid-Violation", "true");
                    send(ex, 400, body);
                    return;
                }
            }
        }
        if (route == null) {
            send(ex, 501, Json.errors(null, op.method + " " + op.template + " (" + op.operationId()
                    + ") is in SendGrid's spec but not modeled by fake-sendgrid"));
            return;
        }
        Call call = new Call(ex.method, ex.path, ex.rawQuery, match.get().pathParams(), query, json, ex.body, key);
        Reply reply = route.handler().apply(call);
        send(ex, reply);
    }

    private static int batchSize(String method, String template, JsonNode json, Map<String, List<String>> query) {
        switch (method + " " + template) {
            case "PUT /v3/marketing/contacts":
                return json != null && json.path("contacts").isArray() ? json.get("contacts").size() : -1;
            case "POST /v3/marketing/contacts/search/emails":
                return json != null && json.path("emails").isArray() ? json.get("emails").size() : -1;
            case "DELETE /v3/marketing/contacts": {
                List<String> ids = query.get("ids");
                return ids == null ? -1 : Http.commaList(ids.get(0)).size();
            }
            case "DELETE /v3/marketing/lists/{id}/contacts": {
                List<String> ids = query.get("contact_ids");
                return ids == null ? -1 : Http.commaList(ids.get(0)).size();
            }
            default:
                return -1;
        }
    }

    private static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = h.substring(7).trim();
            return key.isEmpty() ? null : key;
        }
        return null;
    }

    private static void rateLimitHeaders(Exchange ex, int limit, int remaining, long resetEpochSeconds) {
        ex.headers.put(RATE_LIMIT_HEADER_LIMIT, String.valueOf(limit));
        ex.headers.put(RATE_LIMIT_HEADER_REMAINING, String.valueOf(remaining));
        ex.headers.put(RATE_LIMIT_HEADER_RESET, String.valueOf(resetEpochSeconds));
    }

    private void readBody(Exchange ex) throws IOException {
        String cl = ex.http.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            try {
                long declared = Long.parseLong(cl.trim());
                if (declared > MAX_BODY_BYTES) {
                    ex.bodySize = declared;
                    return;
                }
            } catch (NumberFormatException e) {
                // read and see
            }
        }
        try (InputStream in = ex.http.getRequestBody()) {
            byte[] body = in.readNBytes((int) MAX_BODY_BYTES + 1);
            ex.body = body;
            ex.bodySize = body.length;
        }
    }

    private void serveFile(Exchange ex) throws IOException {
        if (!"GET".equals(ex.method)) {
            send(ex, 405, Json.errors(null, "method not allowed"));
            return;
        }
        String rest = ex.path.substring("/_fake/".length());
        if (rest.startsWith("import-errors/") && rest.endsWith(".json")) {
            String jobId = rest.substring("import-errors/".length(), rest.length() - ".json".length());
            send(ex, api.importErrors(jobId));
            return;
        }
        if (rest.startsWith("exports/")) {
            Path file = jobs.file(rest.substring("exports/".length()));
            if (file != null) {
                send(ex, Reply.file(file, "application/gzip"));
                return;
            }
        }
        send(ex, 404, Json.errors(null, "not found"));
    }

    // ------------------------------------------------------------------ responses

    private void send(Exchange ex, int status, JsonNode body) {
        send(ex, Reply.json(status, body));
    }

    private void send(Exchange ex, Reply reply) {
        ex.status = reply.status();
        // Record before answering, so that a client that got its answer always finds its request recorded.
        record(ex);
        try {
            if (reply.file() != null) {
                var headers = ex.http.getResponseHeaders();
                ex.headers.forEach(headers::set);
                headers.set("Content-Type", reply.contentType());
                long size = Files.size(reply.file());
                ex.http.sendResponseHeaders(reply.status(), size == 0 ? -1 : size);
                try (OutputStream out = ex.http.getResponseBody()) {
                    Files.copy(reply.file(), out);
                }
            } else {
                HttpAnswers.send(ex.http, reply.status(), ex.headers, "application/json",
                        reply.json() == null ? null : Json.bytes(reply.json()));
            }
        } catch (IOException e) {
            // the client went away; the status is still recorded
        }
    }

    private void record(Exchange ex) {
        if (ex.recorded) {
            return;
        }
        ex.recorded = true;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.http.getRequestHeaders().forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            headers.put(name, "authorization".equals(name) ? v.stream().map(Recording::mask).toList() : List.copyOf(v));
        });
        int limit = fake.recordBodyLimit;
        byte[] body = ex.body.length <= limit ? ex.body : java.util.Arrays.copyOf(ex.body, limit);
        RecordedRequest r = new RecordedRequest(ex.at, ex.method, ex.path, ex.rawQuery, Collections.unmodifiableMap(headers),
                body, ex.bodySize, body.length < ex.bodySize, ex.batchSize, ex.status, Duration.ofNanos(System.nanoTime() - ex.start));
        recording.add(r, fake.maxRecordedRequests);
    }
}
