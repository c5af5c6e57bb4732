package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest gateway (issue 15) behind the acknowledgement: how fast acknowledged events become
 * stored and visible (sustained), the backlog over time (written as an SVG plot), and fairness: a
 * second tenant's ack-to-stream lag while a first one sends at full speed.
 */
final class IngestGatewayBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 1000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String database;
    private final List<long[]> samples = Collections.synchronizedList(new ArrayList<>()); // ms, acked, stored, backlog
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    IngestGatewayBench(String database) {
        this.database = database;
    }

    /** Posts one batch, waiting out 429/503 (the inbox's bounds) as senders do; true once acknowledged. */
    private boolean post(String webhook, byte[] body) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(webhook)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return true;
            }
            if (r.statusCode() != 429 && r.statusCode() != 503) {
                throw new IllegalStateException("webhook answered " + r.statusCode() + ": " + r.body());
            }
            refused.incrementAndGet();
            Thread.sleep(Math.min(2_000, 1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"))));
        }
        return false;
    }

    /** Senders at full speed for {@code seconds}; then waits for the backlog to drain. Prints the figures. */
    void sustained(String webhook, int senders, int seconds, Path plot) throws Exception {
        long stored0 = stored();
        acked.set(0);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        Thread sampler = sampler(start);
        fullSpeed(webhook, senders, end).close();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long storedAtEnd = stored() - stored0;
        long drainStart = System.nanoTime();
        while (backlog() > 0 && System.nanoTime() - drainStart < Duration.ofSeconds(300).toNanos()) {
            Thread.sleep(200);
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        sampler.interrupt();
        sampler.join();
        System.out.println();
        System.out.printf("ingest gateway, %d senders for %d s: acknowledged %.0f ev/s; stored (live-tail visible) %.0f ev/s "
                        + "during the run; backlog drained %.1f s after; 429/503 answers %d%n", senders, seconds,
                acked.get() / sendSeconds, storedAtEnd / sendSeconds, drainSeconds, refused.get());
        System.out.printf("  stored over the whole run including the drain: %.0f ev/s%n",
                (stored() - stored0) / (sendSeconds + drainSeconds));
        writePlot(plot, senders);
        System.out.println("  plot of acknowledged and stored events/s and the backlog over time: " + plot);
    }

    /**
     * Tenant A at full speed ({@code senders} senders); tenant B at {@code perSecond} batches of
     * {@code bEvents} events a second; B's lag from each 2xx to its events on B's live stream.
     */
    void fairness(String baseUrl, String webhookA, String webhookB, String viewerB, int senders, int seconds, int perSecond,
                  int bEvents) throws Exception {
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        List<Double> lags = Collections.synchronizedList(new ArrayList<>());
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        LiveTailBench.SseSocket stream = new LiveTailBench.SseSocket(URI.create(baseUrl
                + "/v1/admin/events/stream?direction=inbound"), viewerB);
        Thread reader = new Thread(() -> stream.readLines(line -> {
            int k = line.indexOf("\"dedupe_key\":\"");
            if (line.startsWith("data:") && k > 0) {
                long now = System.nanoTime();
                String key = line.substring(k + 14, line.indexOf('"', k + 14));
                String prefix = key.substring(0, key.lastIndexOf('-'));
                Long at = ackedAt.get(prefix);
                if (at != null && seen.putIfAbsent(prefix, true) == null) {
                    lags.add((now - at) / 1e6);
                }
            }
        }), "fairness-sse");
        reader.setDaemon(true);
        reader.start();
        Thread.sleep(500);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Senders burst = fullSpeed(webhookA, senders, end);
        int sent = 0;
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            String prefix = "fair" + UUID.randomUUID();
            if (post(webhookB, WebhookIngestBench.batch(prefix, bEvents))) {
                ackedAt.put(prefix, System.nanoTime());
                sent++;
            }
            next += 1_000_000_000L / perSecond;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        burst.close();
        long drainStart = System.nanoTime();
        while ((backlog() > 0 || seen.size() < sent) && System.nanoTime() - drainStart < Duration.ofSeconds(120).toNanos()) {
            Thread.sleep(200);
        }
        stream.close();
        Stats s = new Stats(lags);
        System.out.println();
        System.out.printf("fairness: tenant A %d senders of %d-event batches at full speed for %d s; tenant B %d batches/s of %d events: "
                + "B's 2xx-to-stream lag %s; %d of %d B batches seen on its stream%n", senders, BATCH, seconds, perSecond, bEvents, s,
                seen.size(), sent);
    }

    /** Senders posting 1,000-event batches until {@code end}; closing waits for them. */
    private record Senders(ExecutorService pool, List<Future<?>> running) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
        }
    }

    private Senders fullSpeed(String webhook, int senders, long end) {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    if (post(webhook, WebhookIngestBench.batch(UUID.randomUUID().toString(), BATCH))) {
                        acked.addAndGet(BATCH);
                    }
                }
                return null;
            }));
        }
        return new Senders(pool, running);
    }

    private Thread sampler(long start) {
        samples.clear();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    samples.add(new long[] {(System.nanoTime() - start) / 1_000_000, acked.get(), stored(), backlog()});
                    Thread.sleep(1_000);
                }
            } catch (InterruptedException done) {
                // the run is over
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "backlog-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the inbox is empty (the processors caught up). */
    void awaitDrained(Duration limit) throws Exception {
        long t0 = System.nanoTime();
        while (backlog() > 0 && System.nanoTime() - t0 < limit.toNanos()) {
            Thread.sleep(200);
        }
    }

    private long stored() throws Exception {
        return query("SELECT count(*) FROM event_log WHERE kind = 'webhook_event'");
    }

    private long backlog() throws Exception {
        return query("SELECT coalesce(sum(events), 0) FROM ingest_inbox");
    }

    private long query(String sql) throws Exception {
        try (Connection c = Database.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Acknowledged and stored events/s (per second between samples) and the backlog, as an SVG line chart. */
    private void writePlot(Path plot, int senders) throws Exception {
        List<long[]> points;
        synchronized (samples) {
            points = new ArrayList<>(samples);
        }
        if (points.size() < 2) {
            return;
        }
        int n = points.size() - 1;
        double[][] series = new double[3][n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            long[] a = points.get(i);
            long[] b = points.get(i + 1);
            double dt = Math.max(1, b[0] - a[0]) / 1000.0;
            x[i] = b[0] / 1000.0;
            series[0][i] = (b[1] - a[1]) / dt;
            series[1][i] = (b[2] - a[2]) / dt;
            series[2][i] = b[3];
        }
        Files.writeString(plot, Svg.lineChart("Ingest gateway, " + senders + " senders of " + BATCH + "-event batches",
                "seconds", x, List.of("acknowledged events/s", "stored events/s", "backlog (events)"), series));
    }

    /** Installs an unsigned SendGrid webhook for a new tenant; its URL and a viewer token of the tenant. */
    static String[] tenantWebhook(ServerProcess server, Path repo, String admin, String slug) throws Exception {
        AdminApi.call("POST", server.baseUrl() + "/v1/admin/tenants", admin, null, "{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\"}");
        JsonNode installation = JSON.readTree(AdminApi.call("POST", server.baseUrl()
                + "/v1/admin/integration-catalog/sendgrid/install?check=false", admin, slug,
                "{\"name\":\"SendGrid\",\"config\":{\"api_key\":\"SG.bench\"}}"));
        return new String[] {installation.get("webhook_url").asText(), server.token(repo, "--role", "viewer", "--tenant", slug)};
    }
}
