package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.fakesendgrid.FakeContact;
import dev.junction.fakesendgrid.FakeList;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.RecordedRequest;
import dev.junction.fakesendgrid.ValidationMode;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fault scenarios with SendGrid in the loop: deliveries (tracking API to contacts) and a cohort sync
 * at once, against an in-process fake SendGrid whose faults the scenario controls, and one or
 * more server processes on one database.
 */
final class DeliveryFaults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern EMAIL = Pattern.compile("\"email\":\"([^\"]+)\"");

    private final Path repo;

    DeliveryFaults(Path repo) {
        this.repo = repo;
    }

    /** The tenant's handles: admin token, source write key, cohort sync URL. */
    private record Setup(String admin, String writeKey, String syncUrl) { }

    private static Setup setup(ServerProcess server, FakeSendGrid fake, int cohortMembers) throws Exception {
        String base = server.baseUrl();
        String admin = server.token("--role", "platform-admin");
        AdminApi.call("POST", base + "/v1/admin/tenants", admin, null, "{\"slug\":\"faults\",\"name\":\"Faults\"}");
        String installation = JSON.readTree(AdminApi.call("POST", base + "/v1/admin/integration-catalog/sendgrid/install", admin, "faults",
                "{\"name\":\"SendGrid\",\"variant\":\"default\",\"config\":{\"api_key\":\"" + fake.defaultApiKey()
                        + "\"},\"delivery_mode\":\"server_side\"}")).get("id").asText();
        String writeKey = JSON.readTree(AdminApi.call("POST", base + "/v1/admin/sources", admin, "faults", "{\"name\":\"App\"}"))
                .get("write_key").asText();
        AdminApi.call("POST", base + "/v1/admin/cohorts", admin, "faults", "{\"key\":\"all\",\"name\":\"Everyone\"}");
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < cohortMembers; i++) {
            members.append("{\"user_id\":\"m").append(i).append("\",\"email\":\"member").append(i)
                    .append("@cohort.example.com\",\"first_name\":\"M\",\"last_name\":\"").append(i).append("\"}\n");
        }
        HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/cohorts/all/members"))
                .header("Authorization", "Bearer " + admin).header("X-Junction-Tenant", "faults").header("Content-Type", "application/x-ndjson")
                .PUT(HttpRequest.BodyPublishers.ofString(members.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (up.statusCode() != 200) {
            throw new IllegalStateException("cohort upload answered " + up.statusCode() + ": " + up.body());
        }
        String syncs = base + "/v1/admin/installations/" + installation + "/cohort-syncs";
        String sync = JSON.readTree(AdminApi.call("POST", syncs, admin, "faults", "{\"cohort_key\":\"all\",\"list_name\":\"Everyone\","
                + "\"mapping\":{\"email\":\"email\",\"first_name\":\"first_name\",\"last_name\":\"last_name\"},\"cadence\":\"manual\"}"))
                .get("id").asText();
        return new Setup(admin, writeKey, syncs + "/" + sync);
    }

    /** {@code rounds} batches, each an identify of every user with the round in the first name. */
    private static void track(List<String> bases, String writeKey, int users, int rounds) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        for (int round = 0; round < rounds; round++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                batch.add(Map.of("type", "identify", "userId", "u" + u, "messageId", UUID.randomUUID().toString(),
                        "traits", Map.of("email", "user" + u + "@events.example.com", "firstName", "Round" + round)));
            }
            String base = bases.get(round % bases.size());
            while (true) {
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/batch")).header("Authorization", auth)
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                                    JSON.writeValueAsBytes(Map.of("batch", batch)))).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException noAnswer) {
                    // a replica went away: send to the next one
                }
                base = bases.get((bases.indexOf(base) + 1) % bases.size());
            }
        }
    }

    private static JsonNode startRun(String base, Setup s) throws Exception {
        return JSON.readTree(AdminApi.call("POST", s.syncUrl().replace(s.syncUrl().substring(0, s.syncUrl().indexOf("/v1/")), base)
                + "/run", s.admin(), "faults", "{}"));
    }

    /** Waits for the run to end; returns its final state. */
    private static JsonNode awaitRun(String base, Setup s, String runId, Duration within) throws Exception {
        String url = s.syncUrl().replace(s.syncUrl().substring(0, s.syncUrl().indexOf("/v1/")), base) + "/runs/" + runId;
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = JSON.readTree(AdminApi.get(url, s.admin(), "faults"));
            String status = run.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                return run;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the cohort run did not end within " + within);
    }

    /** Waits until no delivery is pending; returns counts by status. */
    private static Map<String, Long> awaitDeliveries(String database, long expected, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = Database.connect(database)) {
            while (System.nanoTime() < deadline) {
                counts.clear();
                try (PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM delivery GROUP BY status");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getLong(2));
                    }
                }
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                if (total == expected && counts.getOrDefault("pending", 0L) == 0) {
                    return counts;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("deliveries did not finish within " + within + ": " + counts);
    }

    private static void checkOutcome(FakeSendGrid fake, Map<String, Long> deliveries, long expected, JsonNode run, int users, int rounds,
                                     int members) {
        if (deliveries.getOrDefault("delivered", 0L) != expected) {
            throw new AssertionError("not every event was delivered: " + deliveries);
        }
        if (!run.get("status").asText().equals("succeeded")) {
            throw new AssertionError("the cohort run ended " + run.get("status") + ": " + run);
        }
        fake.awaitJobs(Duration.ofSeconds(60));
        for (int u = 0; u < users; u++) {
            FakeContact c = fake.contact("user" + u + "@events.example.com")
                    .orElseThrow(() -> new AssertionError("a user is missing in SendGrid"));
            if (!("Round" + (rounds - 1)).equals(c.firstName())) {
                throw new AssertionError("user " + u + " is not in its latest state: " + c.firstName());
            }
        }
        FakeList list = fake.lists().stream().filter(l -> l.name().equals("Everyone")).findFirst()
                .orElseThrow(() -> new AssertionError("the cohort's list is missing"));
        int inList = fake.listMembers(list.id()).size();
        if (inList != members) {
            throw new AssertionError("the list has " + inList + " members, the cohort " + members);
        }
    }

    private static FakeSendGrid fake() {
        return FakeSendGrid.builder().validation(ValidationMode.OFF).importDelay(Duration.ofMillis(50))
                .recordBodyLimit(16 * 1024 * 1024).start();
    }

    private static Map<String, String> env(FakeSendGrid fake, String callTimeout) {
        return Map.of("JUNCTION_SENDGRID_API_URL", fake.baseUrl(), "JUNCTION_DELIVERY_RETRY_BASE", "200ms",
                "JUNCTION_DELIVERY_RETRY_MAX", "2s", "JUNCTION_DELIVERY_CALL_TIMEOUT", callTimeout,
                "JUNCTION_COHORT_SYNC_RETRY_BASE", "1s", "JUNCTION_COHORT_SYNC_POLL_INTERVAL", "500ms");
    }

    /**
     * SendGrid answering 500s, 429s, slowly, and not at all, while deliveries and a cohort sync run:
     * everything completes, nothing is lost or dead-lettered, every contact ends in its latest state.
     */
    String vendorChaos(String database) throws Exception {
        int users = 100;
        int rounds = 5;
        int members = 3000;
        try (FakeSendGrid fake = fake();
             ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx512m"), env(fake, "30s"))) {
            Setup s = setup(server, fake, members);
            fake.inject(Fault.status(500).times(12));
            fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).times(12));
            fake.inject(Fault.status(503).times(6));
            fake.inject(Fault.delay(Duration.ofSeconds(2)).times(6));
            fake.inject(Fault.hang().times(1).on("PUT", "/v3/marketing/contacts"));
            String runId = startRun(server.baseUrl(), s).get("id").asText();
            track(List.of(server.baseUrl()), s.writeKey(), users, rounds);
            Map<String, Long> deliveries = awaitDeliveries(database, (long) users * rounds, Duration.ofMinutes(4));
            JsonNode run = awaitRun(server.baseUrl(), s, runId, Duration.ofMinutes(4));
            checkOutcome(fake, deliveries, (long) users * rounds, run, users, rounds, members);
            Map<Integer, Long> answers = new java.util.TreeMap<>();
            fake.requests().forEach(r -> answers.merge(r.status(), 1L, Long::sum));
            String metrics = OpsFaults.compareMetrics(server, database, s.admin(), "faults");
            return "deliveries " + deliveries + ", cohort run " + run.get("status").asText() + " after " + run.path("attempt").asInt(1)
                    + " attempt(s), SendGrid answered " + answers + "; " + metrics;
        }
    }

    /**
     * Three replicas on one database delivering and syncing at once, one killed mid-work: its work
     * is picked up by the others, nothing is lost, and no contact is written by two replicas at the
     * same moment (no two overlapping upserts carry the same e-mail), and no sync has two running runs.
     */
    String replicas(String database) throws Exception {
        int users = 300;
        int rounds = 10;
        int members = 20_000;
        try (FakeSendGrid fake = fake()) {
            List<ServerProcess> servers = new ArrayList<>();
            try {
                servers.add(new ServerProcess(repo, database, List.of("-Xmx512m"), env(fake, "5s")));
                servers.add(servers.get(0).replica());
                servers.add(servers.get(0).replica());
                Setup s = setup(servers.get(0), fake, members);
                // every upsert takes a while, so that work is in flight when a replica dies
                fake.inject(Fault.delay(Duration.ofMillis(150)).times(100_000).on("PUT", "/v3/marketing/contacts"));
                AtomicReference<String> overlapRuns = new AtomicReference<>();
                Thread sampler = runSampler(database, overlapRuns);
                String runId = startRun(servers.get(1).baseUrl(), s).get("id").asText();
                List<String> bases = servers.stream().map(ServerProcess::baseUrl).toList();
                Thread sender = new Thread(() -> {
                    try {
                        track(bases, s.writeKey(), users, rounds);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                sender.start();
                // kill the replica that runs the cohort sync, once it also holds delivery lanes
                ServerProcess victim = null;
                int lanesHeld = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                try (Connection c = Database.connect(database)) {
                    while (victim == null && System.nanoTime() < deadline) {
                        String claimedBy = one(c, "SELECT claimed_by FROM cohort_sync_run WHERE status = 'running'");
                        for (ServerProcess p : servers) {
                            if (claimedBy != null && claimedBy.startsWith("worker-" + p.pid() + "-")) {
                                String held = one(c, "SELECT count(*)::text FROM delivery_lane WHERE lease_until > now() AND leased_by LIKE 'replica-"
                                        + p.pid() + "-%'");
                                if (held != null && Integer.parseInt(held) > 0) {
                                    victim = p;
                                    lanesHeld = Integer.parseInt(held);
                                }
                            }
                        }
                        Thread.sleep(50);
                    }
                }
                if (victim == null) {
                    throw new AssertionError("no replica was running the sync while delivering: nothing to kill mid-work");
                }
                victim.kill();
                sender.join();
                Map<String, Long> deliveries = awaitDeliveries(database, (long) users * rounds, Duration.ofMinutes(4));
                JsonNode run = awaitRun(servers.get(0).baseUrl(), s, runId, Duration.ofMinutes(4));
                sampler.interrupt();
                sampler.join();
                if (overlapRuns.get() != null) {
                    throw new AssertionError(overlapRuns.get());
                }
                checkOutcome(fake, deliveries, (long) users * rounds, run, users, rounds, members);
                String overlap = overlappingUpserts(fake.requests("PUT", "/v3/marketing/contacts"));
                if (overlap != null) {
                    throw new AssertionError(overlap);
                }
                return "killed the replica running the cohort sync while it held " + lanesHeld + " delivery lane(s), which the "
                        + "others took over when its leases ran out; deliveries " + deliveries + ", cohort run "
                        + run.get("status").asText() + " on another replica; no overlapping upserts of one contact, never two "
                        + "running runs of the sync";
            } finally {
                for (ServerProcess p : servers) {
                    p.close();
                }
            }
        }
    }

    private static String one(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Samples the database: a sync must never have two running runs. */
    private static Thread runSampler(String database, AtomicReference<String> violation) {
        Thread t = new Thread(() -> {
            try (Connection c = Database.connect(database)) {
                while (!Thread.currentThread().isInterrupted()) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT sync_id FROM cohort_sync_run WHERE status = 'running' GROUP BY sync_id HAVING count(*) > 1");
                         ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            violation.compareAndSet(null, "two running runs of sync " + rs.getString(1));
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException done) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                violation.compareAndSet(null, "sampler failed: " + e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The first pair of accepted upserts that overlapped in time and carried the same e-mail, or null. */
    static String overlappingUpserts(List<RecordedRequest> puts) {
        record Span(Instant from, Instant to, Set<String> emails) { }
        List<Span> spans = new ArrayList<>();
        for (RecordedRequest r : puts) {
            if (r.status() != 202 && r.status() != 200) {
                continue;
            }
            Set<String> emails = new TreeSet<>();
            Matcher m = EMAIL.matcher(r.bodyText());
            while (m.find()) {
                emails.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
            }
            spans.add(new Span(r.at(), r.at().plus(r.duration()), emails));
        }
        spans.sort(java.util.Comparator.comparing(Span::from));
        Map<String, Span> lastByEmail = new LinkedHashMap<>();
        for (Span s : spans) {
            for (String e : s.emails()) {
                Span previous = lastByEmail.get(e);
                if (previous != null && previous.to().isAfter(s.from())) {
                    return "two upserts of " + e + " at once: " + previous.from() + "-" + previous.to() + " and " + s.from();
                }
                lastByEmail.put(e, s);
            }
        }
        return null;
    }
}
