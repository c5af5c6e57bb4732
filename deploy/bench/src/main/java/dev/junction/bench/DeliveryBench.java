package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-side delivery: events posted to the tracking API ({@code /v1/batch}, 100 per request, a
 * mix of identify, Product Viewed and Order Completed over 10,000 users) and delivered to the fake
 * SendGrid by the SendGrid plugin, with 1 and 2 replicas on one database.
 * <ol>
 *   <li>saturation: senders post as fast as they can for N seconds; delivered events/s is the
 *       number delivered over the time from the first ingest to the last delivery;</li>
 *   <li>latency: a fixed rate below saturation for N seconds; end-to-end latency is from the
 *       tracking API's answer (the batch committed to the ingest inbox; the outbox row keeps that
 *       time as its {@code created_at}) to the delivery's commit.</li>
 * </ol>
 */
final class DeliveryBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    private static final int USERS = 10_000;

    private final int seconds;
    private final List<Integer> replicas = new ArrayList<>();
    private final int workers;
    private final int senders;
    private final int latencyRate;
    private final Path repo = Path.of("").toAbsolutePath();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DeliveryBench(Map<String, String> options) {
        this.seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        for (String r : options.getOrDefault("replicas", "1,2").split(",")) {
            replicas.add(Integer.parseInt(r.strip()));
        }
        this.workers = Integer.parseInt(options.getOrDefault("workers", "2"));
        this.senders = Integer.parseInt(options.getOrDefault("senders", "4"));
        this.latencyRate = Integer.parseInt(options.getOrDefault("latency-rate", "1000"));
    }

    void run() throws Exception {
        System.out.printf("Junction delivery benchmark, %s%n", Instant.now());
        System.out.printf("machine: %d cores, Java %s, PostgreSQL %s; servers -Xmx512m with %d delivery workers each; fake SendGrid "
                        + "in its own JVM (validation off); %d senders, batches of %d events%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Database.version(), workers, senders, BATCH);
        System.out.println();
        System.out.printf("%-9s %-12s %12s %14s %26s%n", "replicas", "phase", "ingested", "delivered/s", "end-to-end latency");
        for (int r : replicas) {
            runWith(r);
        }
    }

    private void runWith(int replicaCount) throws Exception {
        String database = "junction_bench_" + System.currentTimeMillis();
        Database.create(database);
        List<ServerProcess> servers = new ArrayList<>();
        try (FakeSendGridProcess fake = new FakeSendGridProcess("2g", 20)) {
            servers.add(new ServerProcess(repo, database, List.of("-Xmx512m"),
                    Map.of("JUNCTION_SENDGRID_API_URL", fake.baseUrl(), "JUNCTION_DELIVERY_WORKERS", String.valueOf(workers))));
            while (servers.size() < replicaCount) {
                servers.add(servers.get(0).replica());
            }
            ServerProcess first = servers.get(0);
            String admin = first.token("--role", "platform-admin");
            AdminApi.call("POST", first.baseUrl() + "/v1/admin/tenants", admin, null, "{\"slug\":\"bench\",\"name\":\"Bench\"}");
            AdminApi.call("POST", first.baseUrl() + "/v1/admin/integration-catalog/sendgrid/install", admin, "bench",
                    "{\"name\":\"SendGrid\",\"variant\":\"default\",\"config\":{\"api_key\":\"" + FakeSendGridProcess.API_KEY
                            + "\"},\"delivery_mode\":\"server_side\"}");
            String writeKey = JSON.readTree(AdminApi.call("POST", first.baseUrl() + "/v1/admin/sources", admin, "bench",
                    "{\"name\":\"Bench\"}")).get("write_key").asText();
            String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
            List<String> endpoints = servers.stream().map(s -> s.baseUrl() + "/v1/batch").toList();

            Instant start = Instant.now();
            long ingested = send(endpoints, auth, 0, Duration.ofSeconds(seconds));
            Instant end = drain(database);
            report(replicaCount, "saturation", database, start, end, ingested);

            Instant latencyStart = Instant.now();
            long paced = send(endpoints, auth, latencyRate, Duration.ofSeconds(seconds));
            Instant latencyEnd = drain(database);
            report(replicaCount, "at " + latencyRate + "/s", database, latencyStart, latencyEnd, paced);
        } finally {
            for (ServerProcess s : servers) {
                s.close();
            }
            Database.drop(database);
        }
    }

    /** Posts batches for {@code duration}; at most {@code rate} events/s in all (0: as fast as possible). Returns events accepted. */
    private long send(List<String> endpoints, String auth, int rate, Duration duration) throws Exception {
        AtomicLong accepted = new AtomicLong();
        AtomicInteger sequence = new AtomicInteger();
        long startNanos = System.nanoTime();
        long endNanos = startNanos + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int sender = t;
            Thread thread = new Thread(() -> {
                try {
                    int n = 0;
                    while (System.nanoTime() < endNanos) {
                        int seq = sequence.getAndIncrement();
                        if (rate > 0) {
                            long due = startNanos + (long) (seq * (BATCH * 1e9 / rate));
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        String endpoint = endpoints.get((sender + n++) % endpoints.size());
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint)).header("Authorization", auth)
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(batch(seq))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("tracking API answered " + r.statusCode() + ": " + r.body());
                        }
                        accepted.addAndGet(JSON.readTree(r.body()).get("accepted").asLong());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return accepted.get();
    }

    /** 100 messages: per user an identify (with e-mail and name), a Product Viewed or an Order Completed. */
    private static byte[] batch(int seq) throws Exception {
        List<Map<String, Object>> messages = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            int n = seq * BATCH + i;
            String user = "user-" + (n % USERS);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messageId", UUID.randomUUID().toString());
            m.put("userId", user);
            m.put("context", Map.of("traits", Map.of("email", user + "@bench.example.com")));
            switch (n % 5) {
                case 0, 1 -> {
                    m.put("type", "identify");
                    m.put("traits", Map.of("email", user + "@bench.example.com", "firstName", "First" + n, "lastName", "Last"));
                }
                case 2, 3 -> {
                    m.put("type", "track");
                    m.put("event", "Product Viewed");
                    m.put("properties", Map.of("product_id", "sku-" + (n % 997)));
                }
                default -> {
                    m.put("type", "track");
                    m.put("event", "Order Completed");
                    m.put("properties", Map.of("revenue", 10 + n % 90));
                }
            }
            messages.add(m);
        }
        return JSON.writeValueAsBytes(Map.of("batch", messages));
    }

    /**
     * Waits until nothing is pending: no request left in the ingest inbox (the tracking API answers
     * once a batch is in it, and its deliveries are queued behind) and no delivery pending. Returns
     * when the last delivery finished.
     */
    private static Instant drain(String database) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Connection c = Database.connect(database)) {
            while (System.nanoTime() < deadline) {
                try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM delivery WHERE status = 'pending') + (SELECT count(*) FROM ingest_inbox), "
                        + "(SELECT max(finished_at) FROM delivery)");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return rs.getTimestamp(2).toInstant();
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("deliveries did not drain within 10 minutes");
    }

    private static void report(int replicas, String phase, String database, Instant from, Instant lastDelivered, long ingested)
            throws Exception {
        try (Connection c = Database.connect(database); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status NOT IN ('delivered', 'pending')),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at)),
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at))
                FROM delivery WHERE created_at >= ?""")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long delivered = rs.getLong(1);
                double span = Duration.between(from, lastDelivered).toMillis() / 1000.0;
                System.out.printf("%-9d %-12s %12d %14.0f %26s%s%n", replicas, phase, ingested, delivered / span,
                        String.format("p50 %.0f / p99 %.0f ms", rs.getDouble(3) * 1000, rs.getDouble(4) * 1000),
                        rs.getLong(2) > 0 ? "  (" + rs.getLong(2) + " not delivered)" : "");
            }
        }
    }
}
