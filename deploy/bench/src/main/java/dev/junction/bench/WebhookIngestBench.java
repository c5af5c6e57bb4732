package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook ingest: 1,000-event SendGrid batches posted to the real server at several concurrency
 * levels (events/s, ack latency), beside a raw COPY of the same rows into a table of the event
 * log's shape measured in the same run; then live-tail (SSE) delivery latency.
 */
final class WebhookIngestBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 1000;

    private final int seconds;
    private final List<Integer> concurrency = new ArrayList<>();
    private final int sseClients;
    private final int sseSeconds;
    private final boolean keep;
    private final int sustainSeconds;
    private final int fairnessSeconds;
    private final int fairnessBatch;
    /** keep: the installation's object-sync events table gets every batch too (the default); drop: it is dropped first. */
    private final String eventsTable;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WebhookIngestBench(Map<String, String> options) {
        this.seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        for (String c : options.getOrDefault("concurrency", "1,4,16").split(",")) {
            concurrency.add(Integer.parseInt(c.strip()));
        }
        this.sseClients = Integer.parseInt(options.getOrDefault("sse-clients", "10"));
        this.sseSeconds = Integer.parseInt(options.getOrDefault("sse-seconds", "10"));
        this.keep = Boolean.parseBoolean(options.getOrDefault("keep-database", "false"));
        this.sustainSeconds = Integer.parseInt(options.getOrDefault("sustain-seconds", "60"));
        this.fairnessSeconds = Integer.parseInt(options.getOrDefault("fairness-seconds", "20"));
        this.fairnessBatch = Integer.parseInt(options.getOrDefault("fairness-batch", "100"));
        this.eventsTable = options.getOrDefault("events-table", "keep");
        if (!List.of("keep", "drop").contains(eventsTable)) {
            throw new IllegalArgumentException("--events-table is keep or drop, not " + eventsTable);
        }
    }

    void run() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        String database = "junction_bench_" + System.currentTimeMillis();
        Database.create(database);
        System.out.printf("Junction webhook ingest benchmark, %s%n", Instant.now());
        System.out.printf("machine: %d cores, Java %s, PostgreSQL %s; server jar with -Xmx1g%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Database.version());
        try (ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx1g"), Map.of())) {
            String admin = server.token(repo, "--role", "platform-admin");
            AdminApi.call("POST", server.baseUrl() + "/v1/admin/tenants", admin, null, "{\"slug\":\"bench\",\"name\":\"Bench\"}");
            JsonNode installation = JSON.readTree(AdminApi.call("POST", server.baseUrl() + "/v1/admin/integration-catalog/sendgrid/install?check=false",
                    admin, "bench", "{\"name\":\"SendGrid\",\"config\":{\"api_key\":\"SG.bench\"}}"));
            String webhook = installation.get("webhook_url").asText();
            UUID installationId = UUID.fromString(installation.get("id").asText());
            UUID tenantId = UUID.fromString(JSON.readTree(AdminApi.get(server.baseUrl() + "/v1/admin/tenants/bench", admin, null)).get("id").asText());
            String schema = installation.at("/object_sync/schema").asText();
            if (eventsTable.equals("drop")) {
                // what an operator may do (webhooks keep working without it): measures the event log's own path
                try (Connection c = Database.connect(database); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + schema + ".events");
                }
            }
            System.out.printf("SendGrid installation with object sync schema %s; its events table: %s%n", schema,
                    eventsTable.equals("drop") ? "dropped (each batch goes to the event log only)"
                            : "kept (each batch also goes to " + schema + ".events, in the same transaction)");

            for (int i = 0; i < 10; i++) {
                postBatch(http, webhook, batch(UUID.randomUUID().toString(), BATCH));
            }
            createCopyTarget(database);

            System.out.println();
            System.out.printf("%-12s %14s %22s %14s %8s%n", "senders", "acked ev/s", "ack latency", "raw COPY ev/s", "ratio");
            IngestGatewayBench gateway = new IngestGatewayBench(database);
            for (int c : concurrency) {
                gateway.awaitDrained(Duration.ofSeconds(300)); // each level starts with an empty inbox
                Result ingest = ingest(webhook, c);
                double copy = copy(database, tenantId, installationId, c);
                System.out.printf("%-12d %14.0f %22s %14.0f %7.0f%%%n", c, ingest.eventsPerSecond,
                        String.format("p50 %.0f / p99 %.0f ms", ingest.latency.percentile(50), ingest.latency.percentile(99)),
                        copy, 100 * ingest.eventsPerSecond / copy);
            }

            gateway.awaitDrained(Duration.ofSeconds(300));
            gateway.sustained(webhook, 4, sustainSeconds, repo.resolve("deploy/bench/ingest-backlog.svg"));
            String viewer = server.token(repo, "--role", "viewer", "--tenant", "bench");
            new LiveTailBench(sseClients, sseSeconds).measure(server.baseUrl(), webhook, viewer);
            // the ack-to-stream figure: 100 events/s (10 batches of 10 a second), one client
            new LiveTailBench(1, sseSeconds, false, 10).measure(server.baseUrl(), webhook, viewer);
            String[] quiet = IngestGatewayBench.tenantWebhook(server, repo, admin, "bench-quiet");
            gateway.fairness(server.baseUrl(), webhook, quiet[0], quiet[1], 4, fairnessSeconds, 10, fairnessBatch);
            EventQueryBench.measure(server.baseUrl(), viewer, database, tenantId, installationId, "as ingested (statistics of today's "
                    + "partition may lag: autovacuum and the 15-minute maintenance refresh them)");
            try (Connection c = Database.connect(database); Statement s = c.createStatement()) {
                s.execute("ANALYZE event_log");
            }
            EventQueryBench.measure(server.baseUrl(), viewer, database, tenantId, installationId, "after ANALYZE");
        } finally {
            if (!keep) {
                Database.drop(database);
            }
        }
    }

    private record Result(double eventsPerSecond, Stats latency) { }

    /** One worker's loop body: does one unit of work and returns how many events it handled. */
    @FunctionalInterface
    private interface Work {
        long once(Connection connection) throws Exception;
    }

    /** Runs {@code workers} threads doing {@code work} for the configured seconds; returns events/s. */
    private double timed(int workers, String database, Work work) throws Exception {
        AtomicLong events = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                try (Connection c = database == null ? null : Database.connect(database)) {
                    while (System.nanoTime() < end) {
                        events.addAndGet(work.once(c));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return events.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Acknowledged events/s and ack latency; a 429/503 (the inbox's bounds) counts no events and waits 1 s. */
    private Result ingest(String webhook, int senders) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong refused = new AtomicLong();
        double rate = timed(senders, null, none -> {
            byte[] body = batch(UUID.randomUUID().toString(), BATCH);
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(webhook)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 429 || r.statusCode() == 503) {
                refused.incrementAndGet();
                Thread.sleep(1_000);
                return 0;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("webhook answered " + r.statusCode() + ": " + r.body());
            }
            latencies.add((System.nanoTime() - t0) / 1e6);
            return BATCH;
        });
        if (refused.get() > 0) {
            System.out.printf("  (%d senders: %d requests answered 429/503, the inbox past its bound)%n", senders, refused.get());
        }
        return new Result(rate, new Stats(latencies));
    }

    /** The event log's columns, partitioned by day, with its indexes: what the server writes into. */
    private static void createCopyTarget(String database) throws Exception {
        try (Connection c = Database.connect(database); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_copy (LIKE event_log INCLUDING DEFAULTS) PARTITION BY RANGE (recorded_at)");
            s.execute("ALTER TABLE bench_copy ADD PRIMARY KEY (tenant_id, recorded_at, id)");
            s.execute("CREATE TABLE bench_copy_default PARTITION OF bench_copy DEFAULT");
            // the event log's indexes (V0004, V0008)
            s.execute("CREATE INDEX ON bench_copy (tenant_id, installation_id, recorded_at DESC, id DESC)");
            s.execute("CREATE INDEX ON bench_copy (tenant_id, name, recorded_at DESC, id DESC)");
            s.execute("CREATE INDEX ON bench_copy (tenant_id, user_id, recorded_at DESC, id DESC) WHERE user_id IS NOT NULL");
            s.execute("CREATE INDEX ON bench_copy (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL");
        }
    }

    /** Raw COPY of the same rows, 1,000 per transaction, from {@code writers} connections. */
    private double copy(String database, UUID tenant, UUID installation, int writers) throws Exception {
        return timed(writers, database, c -> {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String text = copyText(tenant, installation, UUID.randomUUID().toString());
            copy.copyIn("COPY bench_copy (tenant_id, recorded_at, batch_id, installation_id, direction, kind, name, "
                    + "status, occurred_at, user_id, dedupe_key, payload) FROM STDIN (FORMAT csv)", new StringReader(text));
            return BATCH;
        });
    }

    private static String copyText(UUID tenant, UUID installation, String prefix) throws Exception {
        StringBuilder b = new StringBuilder(BATCH * 600);
        String now = Instant.now().toString();
        UUID batch = UUID.randomUUID();
        for (Map<String, Object> e : events(prefix, BATCH)) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("name", "[Sendgrid] " + e.get("event"));
            payload.put("user_id", e.get("email"));
            payload.put("timestamp", Instant.ofEpochSecond((Long) e.get("timestamp")).toString());
            payload.put("library", "sendgrid");
            payload.put("properties", e);
            b.append(tenant).append(',').append(now).append(',').append(batch).append(',').append(installation)
                    .append(",inbound,webhook_event,").append(csv("[Sendgrid] " + e.get("event"))).append(",accepted,")
                    .append(Instant.ofEpochSecond((Long) e.get("timestamp"))).append(',').append(csv((String) e.get("email")))
                    .append(',').append(csv((String) e.get("sg_event_id"))).append(',')
                    .append(csv(JSON.writeValueAsString(payload))).append('\n');
        }
        return b.toString();
    }

    private static String csv(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** SendGrid events as its Event Webhook sends them (fields of a delivered/open/click). */
    static List<Map<String, Object>> events(String prefix, int n) {
        String[] types = {"delivered", "open", "click", "processed"};
        List<Map<String, Object>> out = new ArrayList<>(n);
        long base = Instant.now().getEpochSecond();
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("email", "user" + i + "@example.com");
            e.put("timestamp", base + i);
            e.put("smtp-id", "<14c5d75ce93.dfd.64b469@ismtpd-555>");
            e.put("event", types[i % types.length]);
            e.put("category", List.of("newsletter"));
            e.put("sg_event_id", prefix + "-" + i);
            e.put("sg_message_id", "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88." + i);
            e.put("ip", "168.1.1.1");
            e.put("useragent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36");
            e.put("response", "250 OK");
            out.add(e);
        }
        return out;
    }

    static byte[] batch(String prefix, int n) throws Exception {
        return JSON.writeValueAsBytes(events(prefix, n));
    }

    /** SSE clients on the tenant's stream; small batches at a steady pace; latency from send to receipt. */
    static void postBatch(HttpClient http, String webhook, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(webhook))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("webhook answered " + r.statusCode() + ": " + r.body());
        }
    }
}
