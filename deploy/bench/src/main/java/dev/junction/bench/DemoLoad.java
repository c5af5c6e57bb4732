package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.ValidationMode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The documented demo load ({@code deploy/bench/run.sh faults demo-load}): the server jar and a real
 * Prometheus (Debian's {@code prometheus}, on free ports) scraping it every second with
 * deploy/prometheus/junction.rules.yml; a tenant's app sends tracking messages delivered to the
 * fake SendGrid (a few answered 500 and 429 first), and SendGrid posts webhook batches, one twice.
 * Then the recording rules are queried through Prometheus' HTTP API and must show that load.
 */
final class DemoLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final java.util.Set<String> OPTIONAL = java.util.Set.of("retried/s", "db pool in use");

    private final Path repo;

    DemoLoad(Path repo) {
        this.repo = repo;
    }

    String run(String database) throws Exception {
        Path dir = Files.createTempDirectory("junction-demo-prometheus-");
        try (FakeSendGrid fake = FakeSendGrid.builder().validation(ValidationMode.OFF).start();
             ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx384m"), Map.of(
                     "JUNCTION_SENDGRID_API_URL", fake.baseUrl(), "JUNCTION_DELIVERY_RETRY_BASE", "200ms",
                     "JUNCTION_DELIVERY_RETRY_MAX", "1s"));
             PrometheusProcess prometheus = new PrometheusProcess(repo, dir, server.port)) {
            // Prometheus scrapes the idle server first: a rate needs a sample from before the load (a
            // Prometheus that starts scraping after it sees flat counters and a rate of 0)
            prometheus.awaitUp(Duration.ofSeconds(30));
            String base = server.baseUrl();
            String admin = server.token("--role", "platform-admin");
            AdminApi.call("POST", base + "/v1/admin/tenants", admin, null, "{\"slug\":\"demo\",\"name\":\"Demo\"}");
            JsonNode installation = JSON.readTree(AdminApi.call("POST", base + "/v1/admin/integration-catalog/sendgrid/install", admin,
                    "demo", "{\"name\":\"SendGrid\",\"config\":{\"api_key\":\"" + fake.defaultApiKey() + "\"},\"delivery_mode\":\"server_side\"}"));
            String writeKey = JSON.readTree(AdminApi.call("POST", base + "/v1/admin/sources", admin, "demo", "{\"name\":\"App\"}"))
                    .get("write_key").asText();
            fake.inject(Fault.status(500).times(2));
            fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).times(1));

            int messages = sendTracking(base, writeKey, 20, 10);
            int webhookEvents = sendWebhooks(installation.get("webhook_url").asText(), 10, 50);
            // a few scrapes and rule evaluations after the load (both every second)
            Map<String, Double> shown = new LinkedHashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                shown.put("webhook events accepted/s", prometheus.value("sum(junction:webhook_events:rate5m{outcome=\"accepted\"})"));
                shown.put("webhook events duplicate/s", prometheus.value("sum(junction:webhook_events:rate5m{outcome=\"duplicate\"})"));
                shown.put("tracking accepted/s", prometheus.value("sum(junction:tracking_messages:rate5m{outcome=\"accepted\"})"));
                shown.put("delivered/s", prometheus.value("sum(junction:deliveries:rate5m{connector=\"sendgrid\",outcome=\"delivered\"})"));
                shown.put("retried/s", orZero(prometheus.value("sum(junction:deliveries:rate5m{outcome=\"retried\"})")));
                shown.put("plugin calls/s", prometheus.value("sum(junction:plugin_calls:rate5m{connector=\"sendgrid\"})"));
                shown.put("replicas up", prometheus.value("junction:replicas_up:count"));
                shown.put("db pool in use", prometheus.value("max(junction:db_pool_in_use:ratio)"));
                // the SendGrid client retries the 500s and the 429 inside one plugin call, so platform-level
                // retries may be zero: shown, not required; the pool's share in use is 0 when idle
                if (shown.entrySet().stream().allMatch(e -> OPTIONAL.contains(e.getKey()) ? !e.getValue().isNaN() : e.getValue() > 0)) {
                    return "sent " + messages + " tracking messages and " + webhookEvents + " webhook events (one batch twice); "
                            + "Prometheus' recording rules show " + shown;
                }
                Thread.sleep(1000);
            }
            throw new AssertionError("the recording rules do not show the load: " + shown);
        } finally {
            deleteTree(dir);
        }
    }

    /** {@code batches} tracking batches of {@code users} identifies each; returns the number of messages. */
    private static int sendTracking(String base, String writeKey, int users, int batches) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        for (int b = 0; b < batches; b++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                batch.add(Map.of("type", "identify", "userId", "u" + u, "messageId", UUID.randomUUID().toString(),
                        "traits", Map.of("email", "user" + u + "@demo.example.com", "firstName", "Round" + b)));
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/batch")).header("Authorization", auth)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                            JSON.writeValueAsBytes(Map.of("batch", batch)))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("tracking answered " + r.statusCode() + ": " + r.body());
            }
        }
        return users * batches;
    }

    /** SendGrid-style webhook batches; the first is sent twice (its events count as duplicates). */
    private static int sendWebhooks(String url, int batches, int perBatch) throws Exception {
        String first = null;
        for (int b = 0; b < batches; b++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < perBatch; i++) {
                body.append(i == 0 ? "" : ",").append("{\"email\":\"user").append(i).append("@demo.example.com\",\"timestamp\":")
                        .append(System.currentTimeMillis() / 1000).append(",\"event\":\"open\",\"sg_event_id\":\"")
                        .append(UUID.randomUUID()).append("\"}");
            }
            String json = body.append("]").toString();
            first = first == null ? json : first;
            post(url, json);
        }
        post(url, first);
        return batches * perBatch;
    }

    private static void post(String url, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("webhook answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Debian's prometheus binary on a free port, scraping one server every second with Junction's rules. */
    static final class PrometheusProcess implements AutoCloseable {
        private final Process process;
        private final int port;
        private final Path log;

        PrometheusProcess(Path repo, Path dir, int serverPort) throws Exception {
            port = ServerProcess.freePort();
            Path rules = repo.resolve("deploy/prometheus/junction.rules.yml");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - %s
                    scrape_configs:
                      - job_name: junction
                        metrics_path: /prometheus
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(rules, serverPort));
            log = dir.resolve("prometheus.log");
            process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        void awaitUp(Duration within) throws Exception {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("prometheus exited: " + Files.readString(log));
                }
                try {
                    if (value("up{job=\"junction\"}") == 1) {
                        return;
                    }
                } catch (java.io.IOException notYet) {
                    // starting
                }
                Thread.sleep(500);
            }
            throw new AssertionError("Prometheus did not scrape the server within " + within);
        }

        /** The value of an instant query with one result; NaN when it has none. */
        double value(String query) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode result = JSON.readTree(r.body()).path("data").path("result");
            if (r.statusCode() != 200 || result.isEmpty()) {
                return Double.NaN;
            }
            return result.get(0).get("value").get(1).asDouble();
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
        }
    }
}
