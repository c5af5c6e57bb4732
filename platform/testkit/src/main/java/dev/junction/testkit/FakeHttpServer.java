package dev.junction.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scriptable local HTTP server standing in for a vendor API in plugin tests. Script responses
 * per method and path; each route answers its queued responses in order, then repeats the last.
 * Every request is recorded.
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
    public record Response(int status, String body, Map<String, String> headers, long delayMillis) { }

    /** A received request. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
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
        private final Deque<Response> queue = new ConcurrentLinkedDeque<>();

        /** Queues a response; {@code headers} are name, value pairs. */
        public Route respond(int status, String body, String... headers) {
            return respondAfter(0, status, body, headers);
        }

        /** Queues a response sent after a delay (to provoke client timeouts). */
        public Route respondAfter(long delayMillis, int status, String body, String... headers) {
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 0; i + 1 < headers.length; i += 2) {
                h.put(headers[i], headers[i + 1]);
            }
            queue.add(new Response(status, body, h, delayMillis));
            return this;
        }

        private Response next() {
            Response r = queue.size() > 1 ? queue.poll() : queue.peek();
            return r == null ? new Response(404, "{\"error\":\"not scripted\"}", Map.of(), 0) : r;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
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

    /** The route for a method and exact path (no query). */
    public Route on(String method, String path) {
        return routes.computeIfAbsent(method + " " + path, k -> new Route());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String path) {
        List<Request> out = new ArrayList<>();
        requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).forEach(out::add);
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Route route = routes.get(exchange.getRequestMethod() + " " + path);
            Response r = route == null ? new Response(404, "{\"error\":\"not scripted\"}", Map.of(), 0) : route.next();
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

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
