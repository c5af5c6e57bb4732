package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Operations checks of the fault suite: readiness when the database goes away (through a
 * {@link TcpProxy}, never by stopping the shared PostgreSQL), and whether /prometheus agrees with
 * what a scenario itself counted.
 */
final class OpsFaults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The promise: readiness turns false within this of the database going away. */
    private static final Duration UNREADY_WITHIN = Duration.ofSeconds(5);

    private final Path repo;

    OpsFaults(Path repo) {
        this.repo = repo;
    }

    /**
     * The server reaches PostgreSQL through a proxy that is cut for 8 s: readiness answers 503
     * within 5 s while liveness stays 200, and readiness is 200 again once the database is back.
     */
    String readiness(String database) throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx384m"),
                     Map.of("JUNCTION_DB_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port + "/" + database))) {
            String base = server.baseUrl();
            awaitStatus(base + "/health/readiness", 200, Duration.ofSeconds(10), "ready before the outage");
            long cutAt = System.nanoTime();
            proxy.cut();
            long unreadyAfter = awaitStatus(base + "/health/readiness", 503, Duration.ofSeconds(10), "unready after the cut") - cutAt;
            List<Integer> liveness = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                liveness.add(status(base + "/health/liveness"));
                Thread.sleep(1000);
            }
            if (liveness.stream().anyMatch(s -> s != 200)) {
                throw new AssertionError("liveness failed while the database was away: " + liveness);
            }
            if (status(base + "/health/readiness") != 503) {
                throw new AssertionError("ready again while the database is still away");
            }
            long restoredAt = System.nanoTime();
            proxy.restore();
            long readyAfter = awaitStatus(base + "/health/readiness", 200, Duration.ofSeconds(15), "ready after the restore") - restoredAt;
            if (Duration.ofNanos(unreadyAfter).compareTo(UNREADY_WITHIN) > 0) {
                throw new AssertionError("unready only after " + ms(unreadyAfter) + " ms (promised: " + UNREADY_WITHIN.toSeconds() + " s)");
            }
            if (!server.isAlive()) {
                throw new AssertionError("the server exited");
            }
            return "unready " + ms(unreadyAfter) + " ms after the cut, liveness 200 throughout " + liveness.size()
                    + " checks, ready again " + ms(readyAfter) + " ms after the restore";
        }
    }

    /**
     * Compares the server's /prometheus with the scenario's own counts: acknowledged and duplicate
     * webhook events (a batch sent twice now), tracking messages and delivery outcomes (from the
     * database and the event log, which the scenario already checked). Returns a summary, or
     * throws listing every figure that disagrees.
     */
    static String compareMetrics(ServerProcess server, String database, String admin, String tenant) throws Exception {
        JsonNode installations = JSON.readTree(AdminApi.get(server.baseUrl() + "/v1/admin/installations", admin, tenant)).get("items");
        String webhook = null;
        for (JsonNode i : installations) {
            if (i.hasNonNull("webhook_url")) {
                webhook = i.get("webhook_url").asText();
            }
        }
        if (webhook == null) {
            throw new AssertionError("no installation with a webhook URL");
        }
        StringBuilder batch = new StringBuilder("[");
        int events = 25;
        for (int i = 0; i < events; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"email\":\"metrics").append(i).append("@example.com\",\"timestamp\":")
                    .append(System.currentTimeMillis() / 1000).append(",\"event\":\"open\",\"sg_event_id\":\"")
                    .append(UUID.randomUUID()).append("\"}");
        }
        String body = batch.append("]").toString();
        long acknowledged = 0;
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(webhook)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("webhook answered " + r.statusCode() + ": " + r.body());
            }
            acknowledged += JSON.readTree(r.body()).get("accepted").asLong();
        }
        if (acknowledged != 2L * events) {
            throw new AssertionError("the two webhook answers acknowledged " + acknowledged + " events, not " + 2 * events);
        }
        // the batch is stored behind the answer: its events count once stored, its second copy as duplicates
        FaultSuite.awaitInboxDrained(database, Duration.ofSeconds(60));
        Map<String, Long> expected = new LinkedHashMap<>();
        try (Connection c = Database.connect(database)) {
            long stored = count(c, "SELECT count(*) FROM event_log WHERE kind = 'webhook_event'");
            expected.put("stored", stored);
            expected.put("duplicate", acknowledged - stored);
            expected.put("tracked", count(c, "SELECT count(*) FROM tracked_event"));
            expected.put("delivered", count(c, "SELECT count(*) FROM delivery WHERE status = 'delivered'"));
            expected.put("dead", count(c, "SELECT count(*) FROM delivery WHERE status = 'dead'"));
            expected.put("retried", count(c, "SELECT count(*) FROM event_log WHERE kind = 'delivery_attempt' AND status = 'retrying'"));
            expected.put("rate_limited", count(c, "SELECT count(*) FROM event_log WHERE kind = 'delivery_attempt' AND status = 'rate_limited'"));
        }
        Map<String, Double> scraped = scrape(server.baseUrl());
        Map<String, Double> actual = new LinkedHashMap<>();
        actual.put("stored", sum(scraped, "junction_webhook_events_total", "outcome=\"accepted\""));
        actual.put("duplicate", sum(scraped, "junction_webhook_events_total", "outcome=\"duplicate\""));
        actual.put("tracked", sum(scraped, "junction_tracking_messages_total", "outcome=\"accepted\""));
        for (String outcome : List.of("delivered", "dead", "retried", "rate_limited")) {
            actual.put(outcome, sum(scraped, "junction_deliveries_total", "outcome=\"" + outcome + "\""));
        }
        List<String> wrong = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (actual.get(k).longValue() != v) {
                wrong.add(k + ": suite " + v + ", metrics " + actual.get(k).longValue());
            }
        });
        if (!wrong.isEmpty()) {
            throw new AssertionError("/prometheus disagrees with the suite's counts: " + wrong);
        }
        return "metrics match the suite's counts " + expected;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every sample of the text exposition, by its series as printed. */
    static Map<String, Double> scrape(String base) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("/prometheus answered " + r.statusCode());
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int split = line.lastIndexOf(' ');
            samples.put(line.substring(0, split), Double.parseDouble(line.substring(split + 1)));
        }
        return samples;
    }

    /** The sum of every series of {@code name} whose labels include {@code label}. */
    static double sum(Map<String, Double> samples, String name, String label) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{") && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Polls every 100 ms until {@code url} answers {@code expected}; returns System.nanoTime() then. */
    private static long awaitStatus(String url, int expected, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int last = 0;
        while (System.nanoTime() < deadline) {
            last = status(url);
            if (last == expected) {
                return System.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": " + url + " still answered " + last + " after " + within.toSeconds() + " s");
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
