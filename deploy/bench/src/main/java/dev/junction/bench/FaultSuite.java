package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * The fault suite: the real server jar under failures, checked for what it promises. Prints PASS or
 * FAIL per scenario and exits non-zero when any fails. See deploy/bench/README.md.
 */
public final class FaultSuite {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 200;
    private static final Duration OUTAGE = Duration.ofSeconds(8);

    private final Path repo = Path.of("").toAbsolutePath();
    private final List<String> failures = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length == 0 ? List.of("kill-ingest", "postgres-restart", "vendor-chaos", "replicas", "readiness", "demo-load") : List.of(args);
        FaultSuite suite = new FaultSuite();
        for (String s : scenarios) {
            suite.run(s);
        }
        if (!suite.failures.isEmpty()) {
            System.out.println("FAILED: " + suite.failures);
            System.exit(1);
        }
        System.out.println("fault suite: all " + scenarios.size() + " scenario(s) passed");
    }

    private void run(String scenario) throws Exception {
        long t0 = System.nanoTime();
        LogScan.drainLeaks(); // leaks of an earlier, failed scenario are not this one's
        String database = "junction_fault_" + System.currentTimeMillis();
        Database.create(database);
        try {
            String result = switch (scenario) {
                case "kill-ingest" -> killDuringIngest(database);
                case "postgres-restart" -> postgresRestart(database);
                case "vendor-chaos" -> new DeliveryFaults(repo).vendorChaos(database);
                case "replicas" -> new DeliveryFaults(repo).replicas(database);
                case "readiness" -> new OpsFaults(repo).readiness(database);
                case "demo-load" -> new DemoLoad(repo).run(database);
                default -> throw new IllegalArgumentException("unknown scenario " + scenario
                        + " (kill-ingest, postgres-restart, vendor-chaos, replicas, readiness, demo-load)");
            };
            List<String> leaks = LogScan.drainLeaks();
            if (!leaks.isEmpty()) {
                throw new AssertionError("the server logs hold credentials: " + leaks.subList(0, Math.min(5, leaks.size())));
            }
            System.out.printf("PASS %s (%.1f s): %s (log scan: %s, none found)%n", scenario, (System.nanoTime() - t0) / 1e9, result,
                    LogScan.summary());
        } catch (AssertionError | Exception e) {
            failures.add(scenario);
            System.out.printf("FAIL %s: %s%n", scenario, e.getMessage());
        } finally {
            Database.drop(database);
        }
    }

    /** A tenant with an unsigned SendGrid installation; returns its webhook URL and installation id. */
    private static String[] sendGridWebhook(ServerProcess server) throws Exception {
        String admin = server.token("--role", "platform-admin");
        AdminApi.call("POST", server.baseUrl() + "/v1/admin/tenants", admin, null, "{\"slug\":\"faults\",\"name\":\"Faults\"}");
        JsonNode installation = JSON.readTree(AdminApi.call("POST", server.baseUrl()
                + "/v1/admin/integration-catalog/sendgrid/install?check=false", admin, "faults",
                "{\"name\":\"SendGrid\",\"config\":{\"api_key\":\"SG.faults\"}}"));
        return new String[] {installation.get("webhook_url").asText(), installation.get("id").asText()};
    }

    /**
     * {@code kill -9} of the server while senders post webhook batches: every batch that got a 2xx
     * (committed to the ingest inbox) is stored once the restarted server's processors drained the
     * inbox, batches that got no answer are sent again and stored once.
     */
    private String killDuringIngest(String database) throws Exception {
        try (ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx512m"), Map.of())) {
            String[] webhook = sendGridWebhook(server);
            RetryingWebhookSender senders = new RetryingWebhookSender(webhook[0], BATCH);
            senders.start(4);
            Thread.sleep(3_000);
            long killedPid = server.pid();
            server.kill();
            int ackedBeforeKill = senders.acknowledged.size();
            Thread.sleep(1_000);
            server.restart();
            Thread.sleep(3_000);
            senders.stopAndDrain(Duration.ofSeconds(60));
            Map<String, Object> facts = verifyStoredOnce(database, UUID.fromString(webhook[1]), senders);
            if (senders.unanswered.get() == 0) {
                throw new AssertionError("the kill interrupted no request (" + facts + "); the scenario proved nothing");
            }
            facts.put("killed_pid", killedPid);
            facts.put("acknowledged_before_kill", ackedBeforeKill);
            return facts.toString();
        }
    }

    /**
     * PostgreSQL restarted under load: the server answers 503 during the outage (so senders retry),
     * recovers on its own without a restart, and loses nothing it acknowledged.
     */
    private String postgresRestart(String database) throws Exception {
        try (ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx512m"), Map.of())) {
            String[] webhook = sendGridWebhook(server);
            RetryingWebhookSender senders = new RetryingWebhookSender(webhook[0], BATCH);
            senders.start(4);
            Thread.sleep(2_000);
            long pid = server.pid();
            pgctl("stop");
            // longer than the server's pool wait (datasources.default.connection-timeout, 5 s), so
            // requests arriving during the outage get their answer from the server, not from a timeout
            Thread.sleep(OUTAGE.toMillis());
            pgctl("start");
            Thread.sleep(4_000);
            senders.stopAndDrain(Duration.ofSeconds(60));
            if (!server.isAlive() || server.pid() != pid) {
                throw new AssertionError("the server did not survive the database restart");
            }
            Map<String, Object> facts = verifyStoredOnce(database, UUID.fromString(webhook[1]), senders);
            if (!senders.statuses.containsKey(503)) {
                throw new AssertionError("no 503 was answered during the outage: " + senders.statuses);
            }
            var otherFailures = senders.statuses.keySet().stream().filter(s -> s >= 500 && s != 503).toList();
            if (!otherFailures.isEmpty()) {
                throw new AssertionError("the outage was answered with " + otherFailures + ", not only 503: " + senders.statuses);
            }
            facts.put("outage_seconds", OUTAGE.toSeconds());
            return facts.toString();
        }
    }

    private static void pgctl(String action) throws Exception {
        Process ls = new ProcessBuilder("sh", "-c", "ls /etc/postgresql | sort -V | tail -n 1").start();
        String version = new String(ls.getInputStream().readAllBytes()).strip();
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pg_ctlcluster " + action + " failed: " + out);
        }
        if (action.equals("start")) {
            for (int i = 0; i < 50; i++) {
                try (Connection c = Database.connect("postgres")) {
                    return;
                } catch (java.sql.SQLException notYet) {
                    Thread.sleep(200);
                }
            }
            throw new IllegalStateException("PostgreSQL did not come back");
        }
    }

    /**
     * Waits until the ingest inbox is empty: an acknowledged batch is stored behind the ack, by the
     * (restarted) server's processors.
     */
    static Duration awaitInboxDrained(String database, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = Database.connect(database)) {
            while (true) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ingest_inbox"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return Duration.ofNanos(System.nanoTime() - t0);
                    }
                    if (System.nanoTime() - t0 > limit.toNanos()) {
                        throw new AssertionError(rs.getLong(1) + " acknowledged requests still wait in the inbox after " + limit);
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * After the inbox drained: every acknowledged batch's events are stored exactly once; nothing
     * else was stored twice.
     */
    private static Map<String, Object> verifyStoredOnce(String database, UUID installation, RetryingWebhookSender senders) throws Exception {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("inbox_drained_after_ms", awaitInboxDrained(database, Duration.ofSeconds(120)).toMillis());
        try (Connection c = Database.connect(database)) {
            long missing = 0;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*) FROM unnest(?::text[]) AS b(prefix), generate_series(0, ? - 1) AS i
                    WHERE NOT EXISTS (SELECT 1 FROM event_log e WHERE e.installation_id = ? AND e.dedupe_key = b.prefix || '-' || i)""")) {
                ps.setArray(1, c.createArrayOf("text", senders.acknowledged.toArray()));
                ps.setInt(2, BATCH);
                ps.setObject(3, installation);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    missing = rs.getLong(1);
                }
            }
            long duplicates;
            long stored;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*), count(*) - count(DISTINCT dedupe_key) FROM event_log
                    WHERE installation_id = ? AND kind = 'webhook_event'""")) {
                ps.setObject(1, installation);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                    duplicates = rs.getLong(2);
                }
            }
            facts.put("batches_acknowledged", senders.acknowledged.size());
            facts.put("events_stored", stored);
            facts.put("requests_unanswered", senders.unanswered.get());
            facts.put("answers", senders.statuses);
            if (missing > 0) {
                throw new AssertionError(missing + " acknowledged events are missing: " + facts);
            }
            if (duplicates > 0) {
                throw new AssertionError(duplicates + " events were stored twice: " + facts);
            }
            if (stored != (long) senders.acknowledged.size() * BATCH) {
                // events of a batch stored but never acknowledged (the answer was lost) are fine, but
                // then its resend must have been acknowledged: every stored event belongs to an acknowledged batch
                throw new AssertionError("stored events do not match acknowledged batches: " + facts);
            }
        }
        return facts;
    }
}
