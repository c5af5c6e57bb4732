package dev.junction.platform.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.FakeContact;
import dev.junction.fakesendgrid.FakeList;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.RecordedRequest;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.FakeSendGridServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cohort sync end to end: the API, the platform's difference and run machinery, the SendGrid
 * plugin, and the fake SendGrid validating every request against SendGrid's OpenAPI.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendGridCohortSyncApiTest extends ApiTestBase implements TestPropertyProvider {

    private final FakeSendGrid sendgrid = FakeSendGridServer.get();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(FakeSendGridServer.properties());
        p.put("junction.cohort-sync.poll-interval", "200ms");
        p.put("junction.cohort-sync.retry-base", "200ms");
        return p;
    }

    /** A tenant with a SendGrid installation and a cohort; each setup uses its own e-mail domain. */
    private record Setup(String tenant, String installation, String domain) {
        String syncs() {
            return "/v1/admin/installations/" + installation + "/cohort-syncs";
        }
    }

    private Setup setup(String prefix) {
        String t = newTenant(prefix);
        Api admin = tenantAdmin(t);
        String key = "SG.cohort-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);
        Api.Response installed = admin.post("/v1/admin/integration-catalog/sendgrid/install",
                Map.of("name", "SendGrid", "config", Map.of("api_key", key)));
        assertEquals(201, installed.status(), installed.toString());
        assertEquals(201, admin.post("/v1/admin/cohorts", Map.of("key", "buyers", "name", "Buyers " + t)).status());
        return new Setup(t, installed.json().get("id").asText(), prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
    }

    private void upload(Setup s, String ndjson) {
        Api.Response r = tenantAdmin(s.tenant()).send("PUT", "/v1/admin/cohorts/buyers/members", "application/x-ndjson",
                ndjson.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.toString());
    }

    private static String members(Setup s, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append("{\"user_id\":\"u").append(i).append("\",\"email\":\"user").append(i).append('@').append(s.domain())
                    .append("\",\"first_name\":\"First").append(i).append("\",\"last_name\":\"Last").append(i).append("\"}\n");
        }
        return b.toString();
    }

    private String createSync(Setup s, String listName) {
        Api.Response r = tenantAdmin(s.tenant()).post(s.syncs(), Map.of("cohort_key", "buyers", "list_name", listName,
                "mapping", Map.of("email", "email", "first_name", "first_name", "last_name", "last_name"), "cadence", "manual"));
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    private JsonNode runToEnd(Setup s, String sync) {
        String run = tenantAdmin(s.tenant()).post(s.syncs() + "/" + sync + "/run", Map.of()).json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = tenantAdmin(s.tenant()).get(s.syncs() + "/" + sync + "/runs/" + run).json();
            String status = r.get("status").asText();
            if (status.equals("succeeded") || status.equals("partially_succeeded") || status.equals("failed")) {
                return r;
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("run did not end");
    }

    private FakeList list(String name) {
        return sendgrid.lists().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no SendGrid list " + name));
    }

    /** The list's members once SendGrid's asynchronous jobs (imports, list removals) are done. */
    private Set<String> listEmails(String name) {
        sendgrid.awaitJobs();
        return sendgrid.listMembers(list(name).id()).stream().map(FakeContact::email).collect(Collectors.toSet());
    }

    private long contactsIn(String domain) {
        sendgrid.awaitJobs();
        return sendgrid.contacts().stream().filter(c -> c.email().endsWith("@" + domain)).count();
    }

    @Test
    void firstSyncCreatesTheListAndAddsEveryoneOnceThenOnlyTheDifference() {
        Setup s = setup("sg-first");
        upload(s, members(s, 0, 50));
        String listName = "Buyers " + s.tenant();
        String sync = createSync(s, listName);
        int putsBefore = sendgrid.requests("PUT", "/v3/marketing/contacts").size();

        JsonNode first = runToEnd(s, sync);
        assertEquals("succeeded", first.get("status").asText(), first.toString());
        assertEquals(50, first.at("/counts/added").asInt());
        assertEquals(50, listEmails(listName).size());
        assertEquals(50, contactsIn(s.domain()), "each contact once");
        List<RecordedRequest> puts = sendgrid.requests("PUT", "/v3/marketing/contacts");
        assertEquals(putsBefore + 1, puts.size(), "one upsert for 50 members");
        assertTrue(first.get("vendor_jobs").size() >= 1 && first.at("/vendor_jobs/0/state").asText().equals("completed"), first.toString());

        upload(s, members(s, 5, 55)); // 5 leave, 5 join
        JsonNode second = runToEnd(s, sync);
        assertEquals(5, second.at("/counts/added").asInt(), second.toString());
        assertEquals(5, second.at("/counts/removed").asInt());
        assertEquals(45, second.at("/counts/unchanged").asInt());
        RecordedRequest lastPut = sendgrid.requests("PUT", "/v3/marketing/contacts").get(sendgrid.requests("PUT", "/v3/marketing/contacts").size() - 1);
        assertEquals(5, lastPut.batchSize(), "only the difference is sent");
        Set<String> expected = new java.util.HashSet<>();
        for (int i = 5; i < 55; i++) {
            expected.add("user" + i + "@" + s.domain());
        }
        assertEquals(expected, listEmails(listName));
        assertEquals(55, contactsIn(s.domain()), "removed from the list, never from the account");
        assertTrue(sendgrid.requests("DELETE", "/v3/marketing/contacts").isEmpty());
        sendgrid.assertNoViolations();

        JsonNode events = tenantAdmin(s.tenant()).get("/v1/admin/events?direction=outbound&name=PUT%20/v3/marketing/contacts").json();
        assertEquals(202, events.at("/items/0/http_status").asInt(), "every SendGrid call is in the event log with its status");
    }

    @Test
    void mixedCaseDuplicatesBecomeOneContactAndInvalidEmailsAreReported() {
        Setup s = setup("sg-dupes");
        String d = s.domain();
        upload(s, "{\"user_id\":\"1\",\"email\":\"Jane.Doe@" + d + "\",\"first_name\":\"Jane\",\"last_name\":\"Doe\"}\n"
                + "{\"user_id\":\"2\",\"email\":\" jane.doe@" + d.toUpperCase() + " \",\"first_name\":\"Jane\",\"last_name\":\"D\"}\n"
                + "{\"user_id\":\"3\",\"email\":\"not an email\",\"first_name\":\"X\",\"last_name\":\"Y\"}\n"
                + "{\"user_id\":\"4\",\"email\":\"trailing.dot@" + d + ".\",\"first_name\":\"X\",\"last_name\":\"Y\"}\n"
                + "{\"user_id\":\"5\",\"first_name\":\"No\",\"last_name\":\"Email\"}\n"
                + "{\"user_id\":\"6\",\"email\":\"ok@" + d + "\",\"first_name\":\"\",\"last_name\":\"\"}\n");
        String listName = "Dupes " + s.tenant();
        JsonNode run = runToEnd(s, createSync(s, listName));
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals(1, run.at("/counts/duplicates_merged").asInt());
        assertEquals(2, run.at("/counts/invalid_email").asInt());
        assertEquals(1, run.at("/counts/skipped_no_email").asInt());
        assertTrue(run.at("/counts/invalid_email_sample").toString().contains("not an email"), run.toString());
        assertEquals(Set.of("jane.doe@" + d, "ok@" + d), listEmails(listName));
        assertEquals(2, contactsIn(d));
        FakeContact ok = sendgrid.contact("ok@" + d).orElseThrow();
        assertTrue(ok.firstName() == null || ok.firstName().isEmpty(), "an empty name stays unset");
        sendgrid.assertNoViolations();
    }

    @Test
    void anOverlongListNameIsRefusedAtCreation() {
        Setup s = setup("sg-name");
        Api.Response r = tenantAdmin(s.tenant()).post(s.syncs(), Map.of("cohort_key", "buyers", "list_name", "n".repeat(86),
                "mapping", Map.of("email", "email", "first_name", "first_name", "last_name", "last_name")));
        assertEquals(422, r.status(), r.toString());
        assertEquals("/list_name", r.json().at("/errors/0/pointer").asText());
        assertTrue(r.json().at("/errors/0/message").asText().contains("85"), r.toString());
        Api.Response noNames = tenantAdmin(s.tenant()).post(s.syncs(), Map.of("cohort_key", "buyers", "mapping", Map.of("email", "email")));
        assertEquals(422, noNames.status(), "SendGrid needs first and last name mappings");
        assertEquals(201, tenantAdmin(s.tenant()).post(s.syncs(), Map.of("cohort_key", "buyers", "list_name", "n".repeat(85),
                "mapping", Map.of("email", "email", "first_name", "first_name", "last_name", "last_name"))).status());
    }

    @Test
    void rateLimitAndServerErrorStormsEndInACompleteDuplicateFreeList() {
        Setup s = setup("sg-storm");
        upload(s, members(s, 0, 120));
        String listName = "Storm " + s.tenant();
        String sync = createSync(s, listName);
        sendgrid.inject(Fault.rateLimited(Duration.ofSeconds(1)).times(6));
        sendgrid.inject(Fault.status(503).times(4).on("PUT", "/v3/marketing/contacts"));
        sendgrid.inject(Fault.status(500).times(3).on("GET", "/v3/marketing/contacts/imports"));
        JsonNode first = runToEnd(s, sync);
        assertEquals("succeeded", first.get("status").asText(), first.toString());
        assertEquals(120, listEmails(listName).size());

        upload(s, members(s, 60, 200));
        sendgrid.inject(Fault.rateLimited(Duration.ofSeconds(1)).times(5));
        sendgrid.inject(Fault.status(502).times(3).on("POST", "/v3/marketing/contacts/search/emails"));
        sendgrid.inject(Fault.status(503).times(3).on("DELETE", "/v3/marketing/lists"));
        JsonNode second = runToEnd(s, sync);
        assertEquals("succeeded", second.get("status").asText(), second.toString());
        sendgrid.clearFaults();
        Set<String> expected = new java.util.HashSet<>();
        for (int i = 60; i < 200; i++) {
            expected.add("user" + i + "@" + s.domain());
        }
        Set<String> actual = listEmails(listName);
        assertEquals(expected, actual, () -> "extra " + actual.stream().filter(e -> !expected.contains(e)).sorted().toList()
                + " missing " + expected.stream().filter(e -> !actual.contains(e)).sorted().toList() + "; second run " + second
                + "; deletes " + sendgrid.requests().stream().filter(r -> r.method().equals("DELETE") || r.path().contains("search"))
                .map(r -> r.method() + " " + r.path() + " " + r.status() + " " + r.batchSize()).toList());
        assertEquals(200, contactsIn(s.domain()), "no duplicates: one contact per e-mail");
        sendgrid.assertNoViolations();
    }

    @Test
    void aRevokedKeyFailsTheRunClearly() {
        Setup s = setup("sg-revoked");
        upload(s, members(s, 0, 3));
        String sync = createSync(s, "Revoked " + s.tenant());
        // as if the key had been revoked in SendGrid: a key the fake does not know (the check is skipped)
        Api.Response patched = tenantAdmin(s.tenant()).patch("/v1/admin/installations/" + s.installation() + "?check=false",
                Map.of("config", Map.of("api_key", "SG.revoked-" + UUID.randomUUID())));
        assertEquals(200, patched.status(), patched.toString());
        JsonNode run = runToEnd(s, sync);
        assertEquals("failed", run.get("status").asText(), run.toString());
        assertTrue(run.get("error").asText().toLowerCase().contains("key"), run.toString());
    }
}
