package dev.junction.platform.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.plugin.TestPlugins;
import dev.junction.platform.plugin.fixtures.CohortFixture;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform's side of cohort sync, with a fixture connector whose "vendor list" is its state
 * store: the difference, counts, rejections, retries, queueing, schedules and resumption.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CohortSyncRunTest extends ApiTestBase implements TestPropertyProvider {

    @Inject
    CohortSyncRunner runner;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("junction-cohort-plugins-");
            TestPlugins.zip(dir, "fixture-cohort", null, List.of(CohortFixture.Connector_.class, CohortFixture.Sync.class));
            TestPlugins.copyBuilt(dir, "klaviyo");
            return Map.of("junction.plugins-dir", dir.toString(), "junction.cohort-sync.poll-interval", "200ms",
                    "junction.cohort-sync.retry-base", "200ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tenant, a fixture installation and a cohort: tenant slug, installation id. */
    private record Setup(String tenant, String installation) {
        String syncs() {
            return "/v1/admin/installations/" + installation + "/cohort-syncs";
        }
    }

    private Setup setup(String prefix, String mode, String members) {
        String t = newTenant(prefix);
        Api admin = tenantAdmin(t);
        String id = admin.post("/v1/admin/integration-catalog/fixture-cohort/install", Map.of("config", Map.of("mode", mode)))
                .json().get("id").asText();
        assertEquals(201, admin.post("/v1/admin/cohorts", Map.of("key", "aud", "name", "Audience")).status());
        upload(admin, members);
        return new Setup(t, id);
    }

    private static void upload(Api admin, String members) {
        Api.Response r = admin.send("PUT", "/v1/admin/cohorts/aud/members", "application/x-ndjson", members.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.toString());
    }

    private String createSync(Setup s, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("cohort_key", "aud",
                "mapping", Map.of("email", "email", "first_name", "first_name", "last_name", "last_name"), "cadence", "manual"));
        body.putAll(extra);
        Api.Response r = tenantAdmin(s.tenant()).post(s.syncs(), body);
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    /** Requests a run and waits for it to end; returns the run. */
    private JsonNode runToEnd(Setup s, String sync) {
        Api.Response started = tenantAdmin(s.tenant()).post(s.syncs() + "/" + sync + "/run", Map.of());
        assertEquals(202, started.status(), started.toString());
        return awaitEnd(s, sync, started.json().get("id").asText());
    }

    private JsonNode awaitEnd(Setup s, String sync, String run) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = tenantAdmin(s.tenant()).get(s.syncs() + "/" + sync + "/runs/" + run).json();
            String status = r.get("status").asText();
            if (status.equals("succeeded") || status.equals("partially_succeeded") || status.equals("failed")) {
                return r;
            }
            sleep(100);
        }
        throw new AssertionError("run " + run + " did not end");
    }

    /** The fixture's vendor list: e-mail to "first|last". */
    private static Map<String, String> vendorList(String installation) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT key, value FROM installation_state WHERE installation_id = ? AND key LIKE 'member:%'")) {
            ps.setObject(1, UUID.fromString(installation));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1).substring("member:".length()), rs.getString(2));
                }
            }
        }
        return out;
    }

    private static String state(String installation, String key) throws Exception {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT value FROM installation_state WHERE installation_id = ? AND key = ?")) {
            ps.setObject(1, UUID.fromString(installation));
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String MEMBERS = """
            {"user_id":"1","email":"Ada@Example.com","first_name":"Ada","last_name":"Lovelace"}
            {"user_id":"2","email":"ada@example.com ","first_name":"Ada","last_name":"L."}
            {"user_id":"3","email":"grace@example.com","first_name":"Grace","last_name":""}
            {"user_id":"4"}
            {"user_id":"5","email":"not-an-email"}
            {"user_id":"6","email":"ed@example"}
            {"user_id":"7","email":"alan@example.com","first_name":"Alan"}
            """;

    @Test
    void firstRunAddsEveryValidAddressOnceAndCountsTheRest() throws Exception {
        Setup s = setup("first", "ok", MEMBERS);
        String sync = createSync(s, Map.of());
        JsonNode run = runToEnd(s, sync);
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        JsonNode c = run.get("counts");
        assertEquals(7, c.get("members").asInt());
        assertEquals(6, c.get("with_email").asInt());
        assertEquals(1, c.get("skipped_no_email").asInt());
        assertEquals(2, c.get("invalid_email").asInt());
        assertEquals(List.of("ed@example", "not-an-email"), List.of(c.at("/invalid_email_sample/0").asText(), c.at("/invalid_email_sample/1").asText()));
        assertEquals(1, c.get("duplicates_merged").asInt(), "Ada@Example.com and 'ada@example.com ' are one");
        assertEquals(3, c.get("added").asInt());
        assertEquals(0, c.get("removed").asInt());
        assertEquals(Map.of("ada@example.com", "Ada|Lovelace", "alan@example.com", "Alan|null", "grace@example.com", "Grace|null"),
                vendorList(s.installation()), "an empty last name stays unset");
        assertTrue(run.get("vendor_jobs").size() >= 1);
        JsonNode events = tenantAdmin(s.tenant()).get("/v1/admin/events?name=cohort%20sync%20succeeded").json();
        assertEquals(1, events.get("items").size(), "the run is in the event log");
    }

    @Test
    void theNextRunSendsOnlyTheDifference() throws Exception {
        Setup s = setup("diff", "ok", MEMBERS);
        String sync = createSync(s, Map.of());
        runToEnd(s, sync);
        upload(tenantAdmin(s.tenant()), """
                {"user_id":"1","email":"ada@example.com","first_name":"Ada","last_name":"King"}
                {"user_id":"3","email":"grace@example.com","first_name":"Grace","last_name":""}
                {"user_id":"8","email":"new.one@example.com","first_name":"New"}
                {"user_id":"9","email":"NEW.TWO@example.com"}
                """);
        JsonNode run = runToEnd(s, sync);
        JsonNode c = run.get("counts");
        assertEquals(3, c.get("to_add").asInt(), "two new, one renamed");
        assertEquals(2, c.get("added").asInt());
        assertEquals(1, c.get("updated").asInt());
        assertEquals(1, c.get("to_remove").asInt());
        assertEquals(1, c.get("removed").asInt(), "alan left");
        assertEquals(1, c.get("unchanged").asInt(), "grace");
        assertEquals(Map.of("ada@example.com", "Ada|King", "grace@example.com", "Grace|null", "new.one@example.com", "New|null",
                "new.two@example.com", "null|null"), vendorList(s.installation()));

        JsonNode idle = runToEnd(s, sync);
        assertEquals(0, idle.at("/counts/to_add").asInt());
        assertEquals(0, idle.at("/counts/to_remove").asInt());
        assertEquals(4, idle.at("/counts/unchanged").asInt());
    }

    @Test
    void rejectedMembersAreListedAndRetried() throws Exception {
        Setup s = setup("reject", "ok", """
                {"user_id":"1","email":"reject-me@example.com"}
                {"user_id":"2","email":"fine@example.com"}
                """);
        String sync = createSync(s, Map.of());
        JsonNode run = runToEnd(s, sync);
        assertEquals("partially_succeeded", run.get("status").asText());
        assertEquals(1, run.at("/counts/rejected").asInt());
        JsonNode rejections = tenantAdmin(s.tenant()).get(s.syncs() + "/" + sync + "/runs/" + run.get("id").asText() + "/rejections").json();
        assertEquals("reject-me@example.com", rejections.at("/items/0/email").asText());
        assertTrue(rejections.at("/items/0/reason").asText().contains("does not like"));
        JsonNode again = runToEnd(s, sync);
        assertEquals(1, again.at("/counts/to_add").asInt(), "the refused member is retried");
        assertEquals(Map.of("fine@example.com", "null|null"), vendorList(s.installation()));
    }

    @Test
    void aTransientFailureIsRetriedAndAPermanentOneFails() throws Exception {
        Setup flaky = setup("flaky", "retriable-once", "{\"user_id\":\"1\",\"email\":\"a@example.com\"}\n");
        JsonNode run = runToEnd(flaky, createSync(flaky, Map.of()));
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals(2, run.get("attempt").asInt());
        assertEquals("2", state(flaky.installation(), "attempts"));

        Setup broken = setup("broken", "permanent", "{\"user_id\":\"1\",\"email\":\"a@example.com\"}\n");
        JsonNode failed = runToEnd(broken, createSync(broken, Map.of()));
        assertEquals("failed", failed.get("status").asText());
        assertEquals("The vendor refused this list for good", failed.get("error").asText());
        assertTrue(vendorList(broken.installation()).isEmpty());
    }

    @Test
    void runsOfOneSyncNeverOverlapAndRequestsJoinTheQueuedRun() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            many.append("{\"user_id\":\"").append(i).append("\",\"email\":\"m").append(i).append("@example.com\"}\n");
        }
        Setup s = setup("overlap", "slow", many.toString());
        String sync = createSync(s, Map.of());
        Api admin = tenantAdmin(s.tenant());
        String first = admin.post(s.syncs() + "/" + sync + "/run", Map.of()).json().get("id").asText();
        sleep(400);
        String second = admin.post(s.syncs() + "/" + sync + "/run", Map.of()).json().get("id").asText();
        String third = admin.post(s.syncs() + "/" + sync + "/run", Map.of()).json().get("id").asText();
        assertFalse(first.equals(second), "the first is running: a new run is queued");
        assertEquals(second, third, "a second request joins the queued run");
        awaitEnd(s, sync, first);
        awaitEnd(s, sync, second);
        assertEquals(null, state(s.installation(), "overlap"), "never two runs of one sync at once");
        assertEquals(30, vendorList(s.installation()).size());
    }

    @Test
    void aRunOfAReplicaThatDiedIsResumed() throws Exception {
        Setup s = setup("resume", "ok", "{\"user_id\":\"1\",\"email\":\"a@example.com\"}\n");
        String sync = createSync(s, Map.of());
        UUID run = UUID.randomUUID();
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cohort_sync_run (tenant_id, id, sync_id, status, trigger, attempt, not_before, claimed_by, heartbeat_at, created_at, started_at)
                SELECT tenant_id, ?, id, 'running', 'manual', 1, now(), 'a-dead-replica', now() - interval '5 minutes', now(), now()
                FROM cohort_sync WHERE id = ?""")) {
            ps.setObject(1, run);
            ps.setObject(2, UUID.fromString(sync));
            assertEquals(1, ps.executeUpdate());
        }
        JsonNode done = awaitEnd(s, sync, run.toString());
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        assertEquals(2, done.get("attempt").asInt());
        assertEquals(Map.of("a@example.com", "null|null"), vendorList(s.installation()));
    }

    @Inject
    CohortSyncRunQueue queue;

    @Inject
    io.micronaut.transaction.TransactionOperations<Connection> tx;

    /**
     * A worker paused long enough for its run to be taken over (requeued as stale, claimed again as
     * attempt 2) wakes up and writes: its progress, finish and requeue change nothing, whether
     * another replica or the same one holds the new attempt.
     */
    @Test
    void aPausedWorkersLateWritesChangeNothing() throws Exception {
        Setup s = setup("fence", "ok", "{\"user_id\":\"1\",\"email\":\"a@example.com\"}\n");
        String sync = createSync(s, Map.of());
        UUID run = UUID.randomUUID();
        UUID tenant;
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cohort_sync_run (tenant_id, id, sync_id, status, trigger, attempt, not_before, claimed_by, heartbeat_at, created_at, started_at)
                SELECT tenant_id, ?, id, 'running', 'manual', 2, now(), 'replica-b', now(), now(), now()
                FROM cohort_sync WHERE id = ? RETURNING tenant_id""")) {
            ps.setObject(1, run);
            ps.setObject(2, UUID.fromString(sync));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                tenant = rs.getObject(1, UUID.class);
            }
        }
        var id = new dev.junction.platform.tenancy.TenantId(tenant);
        java.time.Instant now = java.time.Instant.now();
        String before = runRow(run);
        for (CohortSyncRunQueue.Claim late : List.of(new CohortSyncRunQueue.Claim(id, run, UUID.fromString(sync), "replica-a", 1),
                new CohortSyncRunQueue.Claim(id, run, UUID.fromString(sync), "replica-b", 1))) {
            assertFalse((boolean) tx.executeWrite(t -> queue.finish(late, "failed", "late finish", "{\"late\":true}", now)), late.toString());
            assertFalse((boolean) tx.executeWrite(t -> queue.requeue(late, "late requeue", now)), late.toString());
            org.junit.jupiter.api.Assertions.assertThrows(dev.junction.platform.jobs.RunLostException.class,
                    () -> tx.executeWrite(t -> {
                        queue.recordProgress(late, "{\"late\":true}", now);
                        return null;
                    }));
            assertEquals(before, runRow(run), "a late write of " + late + " changed the run");
        }
        // the attempt that holds the run can end it: the fence is what refused the others
        var holder = new CohortSyncRunQueue.Claim(id, run, UUID.fromString(sync), "replica-b", 2);
        assertTrue((boolean) tx.executeWrite(t -> queue.finish(holder, "failed", "ended", null, now)));
        assertTrue(runRow(run).startsWith("failed|ended|"), runRow(run));
    }

    private static String runRow(UUID run) throws Exception {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT status || '|' || coalesce(error, '') || '|' || counts::text || '|' || coalesce(claimed_by, '') || '|' || attempt "
                        + "|| '|' || (finished_at IS NULL) || '|' || not_before FROM cohort_sync_run WHERE id = ?")) {
            ps.setObject(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    void schedulesQueueRunsWhenDue() throws Exception {
        Setup s = setup("sched", "ok", "{\"user_id\":\"1\",\"email\":\"a@example.com\"}\n");
        String sync = createSync(s, Map.of("cadence", "hourly"));
        JsonNode created = tenantAdmin(s.tenant()).get(s.syncs() + "/" + sync).json();
        assertTrue(created.has("next_run_at"), created.toString());
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("UPDATE cohort_sync SET next_run_at = now() - interval '1 minute' WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(sync));
            ps.executeUpdate();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode runs;
        do {
            sleep(200);
            runs = tenantAdmin(s.tenant()).get(s.syncs() + "/" + sync + "/runs").json().get("items");
        } while (runs.isEmpty() && System.nanoTime() < deadline);
        assertEquals("scheduled", runs.get(0).get("trigger").asText());
        awaitEnd(s, sync, runs.get(0).get("id").asText());
        assertTrue(tenantAdmin(s.tenant()).get(s.syncs() + "/" + sync).json().get("next_run_at").asText()
                .compareTo(java.time.Instant.now().toString()) > 0, "the next run is in the future");
    }

    @Test
    void badSyncsAre422() {
        Setup s = setup("badsync", "ok", "{\"user_id\":\"1\"}\n");
        Api admin = tenantAdmin(s.tenant());
        Api.Response r = admin.post(s.syncs(), Map.of("cohort_key", "nope", "mapping", Map.of("first_name", "first_name"),
                "cadence", "every tuesday"));
        assertEquals(422, r.status());
        assertTrue(r.body().contains("/cohort_key") && r.body().contains("/mapping/email") && r.body().contains("/cadence"), r.body());
        Api.Response tooLong = admin.post(s.syncs(), Map.of("cohort_key", "aud", "mapping", Map.of("email", "email"),
                "list_name", "a list name much longer than twenty characters"));
        assertEquals(422, tooLong.status());
        assertEquals("/list_name", tooLong.json().at("/errors/0/pointer").asText(), "the connector's own rule");
        assertEquals(422, admin.post(s.syncs(), Map.of("cohort_key", "aud", "mapping", Map.of("email", "email"),
                "cadence", "61 * * * *")).status());
        String klaviyo = admin.post("/v1/admin/integration-catalog/klaviyo/install?check=false",
                Map.of("config", Map.of("api_key", "pk_x"))).json().get("id").asText();
        Api.Response unsynced = admin.post("/v1/admin/installations/" + klaviyo + "/cohort-syncs",
                Map.of("cohort_key", "aud", "list_name", "Audience", "mapping", Map.of("email", "email", "city", "city")));
        assertEquals(422, unsynced.status());
        assertEquals("/mapping/city", unsynced.json().at("/errors/0/pointer").asText(), "another connector's own rule");
    }

    @Test
    void anotherTenantSeesNoSyncOrRun() {
        Setup s = setup("syn-a", "ok", "{\"user_id\":\"1\",\"email\":\"a@example.com\"}\n");
        String sync = createSync(s, Map.of());
        String run = runToEnd(s, sync).get("id").asText();
        Api other = tenantAdmin(newTenant("syn-b"));
        assertEquals(404, other.get(s.syncs()).status());
        assertEquals(404, other.get(s.syncs() + "/" + sync).status());
        assertEquals(404, other.post(s.syncs() + "/" + sync + "/run", Map.of()).status());
        assertEquals(404, other.get(s.syncs() + "/" + sync + "/runs/" + run).status());
        assertEquals(404, other.get(s.syncs() + "/" + sync + "/runs/" + run + "/rejections").status());
        assertEquals(404, other.delete(s.syncs() + "/" + sync).status());
    }
}
