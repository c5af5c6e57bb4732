package dev.junction.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A scriptable local HTTP server standing in for a vendor API in plugin tests. Script responses
 * per method and path; each route answers its queued responses in order, then repeats the last.
 * Every request is recorded.
 *
 * <p>A path may be a pattern: {@code /v3/marketing/lists/{id}} matches any one segment in place of
 * {@code {id}} ({@link Request#pathParam}); an exact path wins over a pattern, and of two patterns
 * the one with more literal segments. An answer may be computed from the request
 * ({@link Route#answer}), and {@link Request#json()} reads a JSON body:
 * <pre>{@code
 * vendor.on("PUT", "/v3/marketing/lists/{id}/contacts").answer(request ->
 *         FakeHttpServer.Response.json(202, "{\"job_id\":\"job-" + request.pathParam("id") + "\"}"));
 * ...
 * assertEquals(2, vendor.requests("PUT", "/v3/marketing/lists/{id}/contacts").get(0).json().path("contacts").size());
 * }</pre>
 * <pre>{@code
 * try (FakeHttpServer vendor = FakeHttpServer.start()) {
 *     vendor.on("GET", "/v3/scopes").respond(200, "{\"scopes\":[\"marketing.read\"]}");
 *     vendor.on("GET", "/v3/scopes").respond(429, "", "Retry-After", "1");   // queued after the first
 *     ... vendor.baseUrl() ...
 *     assertEquals(2, vendor.requests("GET", "/v3/scopes").size());
 * }
 * }</pre>
 */
public final class FakeHttpServer implements AutoCloseable {

    /** A canned response. */
    public record Response(int status, String body, Map<String, String> headers, long delayMillis) {
        /** A JSON response (the server adds {@code Content-Type: application/json}). */
        public static Response json(int status, String body) {
            return new Response(status, body, Map.of(), 0);
        }

        /** A response with headers given as name, value pairs. */
        public static Response of(int status, String body, String... headers) {
            return new Response(status, body, pairs(headers), 0);
        }
    }

    /**
     * A received request; {@code pathParams} holds the values of the matched route's pattern
     * segments (empty for an exact route or an unscripted path).
     */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
            Map<String, String> pathParams) {
        /** A request without path parameters. */
        public Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
            this(method, path, query, headers, body, Map.of());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body parsed as JSON (a missing node when the body is empty); fails the test when it is not JSON. */
        public JsonNode json() {
            if (body.length == 0) {
                return MissingNode.getInstance();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("the body of " + method + " " + path + " is not JSON: " + bodyText(), e);
            }
        }

        /** The value of a pattern segment, e.g. {@code id} for {@code /lists/{id}}; null when there is none. */
        public String pathParam(String name) {
            return pathParams.get(name);
        }

        /** The first value of a query parameter (decoded), or null. */
        public String queryParam(String name) {
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        /** First value of a header, case-insensitively, or null. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** Scripts one route. */
    public final class Route {
        private final Deque<Function<Request, Response>> queue = new ConcurrentLinkedDeque<>();

        /** Queues a response; {@code headers} are name, value pairs. */
        public Route respond(int status, String body, String... headers) {
            return respondAfter(0, status, body, headers);
        }

        /** Queues a response sent after a delay (to provoke client timeouts). */
        public Route respondAfter(long delayMillis, int status, String body, String... headers) {
            Response response = new Response(status, body, pairs(headers), delayMillis);
            queue.add(request -> response);
            return this;
        }

        /**
         * Queues an answer computed from each request it answers (the last queued one keeps answering,
         * as canned responses do), e.g. echoing an id from the path or counting the body's items.
         */
        public Route answer(Function<Request, Response> answer) {
            queue.add(answer);
            return this;
        }

        private Response next(Request request) {
            Function<Request, Response> r = queue.size() > 1 ? queue.poll() : queue.peek();
            return r == null ? NOT_SCRIPTED : r.apply(request);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-http");
        t.setDaemon(true);
        return t;
    });
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Response NOT_SCRIPTED = new Response(404, "{\"error\":\"not scripted\"}", Map.of(), 0);

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    /** Pattern routes by "METHOD pattern", the most literal segments first. */
    private final List<Map.Entry<String, Route>> patternRoutes = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on a free local port. */
    public static FakeHttpServer start() {
        try {
            return new FakeHttpServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The route for a method and an exact path or a pattern such as {@code /lists/{id}} (no query). */
    public Route on(String method, String path) {
        return routes.computeIfAbsent(method + " " + path, key -> {
            Route route = new Route();
            if (path.contains("{")) {
                patternRoutes.add(Map.entry(key, route));
                patternRoutes.sort(Comparator.comparingInt((Map.Entry<String, Route> e) -> -literalSegments(e.getKey())));
            }
            return route;
        });
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests with this method and path; a pattern such as {@code /lists/{id}} selects every path it matches. */
    public List<Request> requests(String method, String path) {
        List<Request> out = new ArrayList<>();
        requests.stream().filter(r -> r.method().equals(method)
                && (r.path().equals(path) || path.contains("{") && pathParams(path, r.path()) != null)).forEach(out::add);
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Route route = routes.get(method + " " + path);
            Map<String, String> params = Map.of();
            for (int i = 0; route == null && i < patternRoutes.size(); i++) {
                String key = patternRoutes.get(i).getKey();
                Map<String, String> values = key.startsWith(method + " ")
                        ? pathParams(key.substring(method.length() + 1), path) : null;
                if (values != null) {
                    route = patternRoutes.get(i).getValue();
                    params = values;
                }
            }
            Request request = new Request(method, path, exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body, params);
            requests.add(request);
            Response r;
            try {
                r = route == null ? NOT_SCRIPTED : route.next(request);
            } catch (RuntimeException e) {
                // a bug in a test's answer: say so in the answer rather than dropping the connection
                r = new Response(500, "{\"error\":" + JSON.writeValueAsString("the scripted answer failed: " + e) + "}",
                        Map.of(), 0);
            }
            if (r.delayMillis() > 0) {
                try {
                    Thread.sleep(r.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (!r.headers().containsKey("Content-Type")) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    /** The values of a pattern's {@code {name}} segments in a path, or null when the path does not match it. */
    private static Map<String, String> pathParams(String pattern, String path) {
        String[] expected = pattern.split("/", -1);
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < expected.length; i++) {
            boolean isParam = expected[i].length() > 2 && expected[i].startsWith("{") && expected[i].endsWith("}");
            if (isParam && !actual[i].isEmpty()) {
                values.put(expected[i].substring(1, expected[i].length() - 1), actual[i]);
            } else if (!expected[i].equals(actual[i])) {
                return null;
            }
        }
        return values;
    }

    private static int literalSegments(String methodAndPattern) {
        int n = 0;
        for (String segment : methodAndPattern.split("/")) {
            n += segment.startsWith("{") ? 0 : 1;
        }
        return n;
    }

    private static Map<String, String> pairs(String... nameValuePairs) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
            h.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return h;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
