package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cohort sync at size: a cohort of N members uploaded as a streamed NDJSON snapshot and synced to
 * the fake SendGrid (a separate process, OpenAPI validation off), then a change of a given
 * percentage synced again; the server runs with a small heap. Reports wall times, SendGrid
 * requests, the server's peak heap and the rows/s of the database difference.
 */
final class CohortSyncBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int members;
    private final double changePercent;
    private final String serverHeap;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    CohortSyncBench(Map<String, String> options) {
        this.members = Integer.parseInt(options.getOrDefault("members", "1000000"));
        this.changePercent = Double.parseDouble(options.getOrDefault("change-percent", "1"));
        this.serverHeap = options.getOrDefault("server-heap", "256m");
    }

    void run() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        String database = "junction_bench_" + System.currentTimeMillis();
        Database.create(database);
        FakeSendGridProcess fake = new FakeSendGridProcess("3g", 50);
        System.out.printf("Junction cohort sync benchmark, %s%n", Instant.now());
        System.out.printf("machine: %d cores, Java %s, PostgreSQL %s; server -Xmx%s; fake SendGrid in its own JVM (validation off, "
                + "import jobs complete after 50 ms)%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Database.version(), serverHeap);
        try (ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx" + serverHeap),
                Map.of("JUNCTION_SENDGRID_API_URL", fake.baseUrl()))) {
            String admin = server.token(repo, "--role", "platform-admin");
            String base = server.baseUrl();
            AdminApi.call("POST", base + "/v1/admin/tenants", admin, null, "{\"slug\":\"bench\",\"name\":\"Bench\"}");
            String installation = JSON.readTree(AdminApi.call("POST", base + "/v1/admin/integration-catalog/sendgrid/install", admin, "bench",
                    "{\"name\":\"SendGrid\",\"config\":{\"api_key\":\"" + FakeSendGridProcess.API_KEY + "\"}}"))
                    .get("id").asText();
            AdminApi.call("POST", base + "/v1/admin/cohorts", admin, "bench", "{\"key\":\"all\",\"name\":\"Everyone\"}");
            String sync = JSON.readTree(AdminApi.call("POST", base + "/v1/admin/installations/" + installation + "/cohort-syncs", admin, "bench",
                    "{\"cohort_key\":\"all\",\"list_name\":\"Everyone\",\"mapping\":{\"email\":\"email\",\"first_name\":\"first_name\","
                            + "\"last_name\":\"last_name\"},\"cadence\":\"manual\"}")).get("id").asText();
            String syncs = base + "/v1/admin/installations/" + installation + "/cohort-syncs/" + sync;

            HeapWatch heap = new HeapWatch(base);
            heap.start();
            System.out.println();
            long t0 = System.nanoTime();
            JsonNode upload = JSON.readTree(upload(base, admin, 0, members));
            System.out.printf("upload of %,d members (streamed NDJSON): %.1f s, stored %,d%n", members,
                    (System.nanoTime() - t0) / 1e9, upload.get("members").asLong());
            report("full sync", syncs, admin, database, installation, heap);

            int shift = (int) Math.round(members * changePercent / 100.0);
            t0 = System.nanoTime();
            upload(base, admin, shift, members + shift);
            System.out.printf("%nupload of the %.1f%% change (%,d leave, %,d join): %.1f s%n", changePercent, shift, shift,
                    (System.nanoTime() - t0) / 1e9);
            report("sync of the change", syncs, admin, database, installation, heap);
            heap.stop = true;
        } finally {
            fake.close();
            Database.drop(database);
        }
    }

    private void report(String what, String syncs, String admin, String database, String installation, HeapWatch heap) throws Exception {
        heap.peak.set(0);
        Instant from = Instant.now();
        long t0 = System.nanoTime();
        String runId = JSON.readTree(AdminApi.call("POST", syncs + "/run", admin, "bench", "{}")).get("id").asText();
        JsonNode run;
        do {
            Thread.sleep(500);
            run = JSON.readTree(AdminApi.get(syncs + "/runs/" + runId, admin, "bench"));
        } while (!List.of("succeeded", "partially_succeeded", "failed").contains(run.get("status").asText()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode c = run.get("counts");
        long requests = requests(database, installation, from);
        double diffSeconds = c.get("difference_millis").asLong() / 1000.0;
        System.out.printf("%s: %s in %.1f s; %,d added, %,d removed, %,d unchanged; %d SendGrid requests; server heap peak %.0f MB%n",
                what, run.get("status").asText(), seconds, c.get("added").asLong(), c.get("removed").asLong(),
                c.get("unchanged").asLong(), requests, heap.peak.get() / 1e6);
        System.out.printf("  difference in SQL: %.1f s for %,d members = %,.0f rows/s%n", diffSeconds, c.get("members").asLong(),
                c.get("members").asLong() / Math.max(diffSeconds, 0.001));
        if (run.has("error")) {
            System.out.println("  error: " + run.get("error").asText());
        }
    }

    /** SendGrid calls of the installation since {@code from}, counted in the live event log. */
    private static long requests(String database, String installation, Instant from) throws Exception {
        try (Connection c = Database.connect(database); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM event_log WHERE installation_id = ? AND kind = 'http_call' AND recorded_at >= ?")) {
            ps.setObject(1, UUID.fromString(installation));
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Streams members [from, to) as NDJSON without building the body in memory. */
    private String upload(String base, String token, int from, int to) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/admin/cohorts/all/members"))
                .header("Authorization", "Bearer " + token).header("X-Junction-Tenant", "bench")
                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofMinutes(30))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new MemberStream(from, to))).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("upload answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** NDJSON of members [from, to), generated as it is read. */
    private static final class MemberStream extends InputStream {
        private int next;
        private final int end;
        private byte[] line = new byte[0];
        private int pos;

        MemberStream(int from, int to) {
            this.next = from;
            this.end = to;
        }

        @Override
        public int read() {
            if (pos >= line.length) {
                if (next >= end) {
                    return -1;
                }
                line = ("{\"user_id\":\"u" + next + "\",\"email\":\"member" + next + "@example.com\",\"first_name\":\"First" + next
                        + "\",\"last_name\":\"Last" + next + "\",\"plan\":\"" + (next % 3 == 0 ? "pro" : "free") + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8);
                pos = 0;
                next++;
            }
            return line[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }
}
