package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Profile bulk import jobs (G5 timing, G6 per-profile errors, G2 5 MB) and the subscription bulk job (G7). */
class JobsTest extends FakeKlaviyoTestBase {

    static String importBody(List<String> profiles, String listId) {
        String rel = listId == null ? "" : ",'relationships':{'lists':{'data':[{'type':'list','id':'" + listId
                + "'}]}}";
        return Client.json("{'data':{'type':'profile-bulk-import-job','attributes':{'profiles':{'data':["
                + String.join(",", profiles) + "]}}" + rel + "}}");
    }

    static String profile(String attributes) {
        return "{'type':'profile','attributes':{" + attributes + "}}";
    }

    @Test
    void importJobProgressesThenCompletesWithPerProfileErrors() throws Exception {
        fake.jobTiming(Duration.ofMillis(300), Duration.ofMillis(600));
        String listId = createList("Imported");
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            profiles.add(profile("'email':'u" + i + "@example.com'"));
        }
        profiles.add(profile("'email':'broken@'"));
        profiles.add(profile("'first_name':'No identifier'"));
        Client.Response submitted = client.post("/api/profile-bulk-import-jobs", importBody(profiles, listId));
        assertEquals(202, submitted.status(), submitted.toString());
        String jobId = submitted.json().path("data").path("id").asText();
        assertEquals("queued", submitted.json().path("data").path("attributes").path("status").asText());
        List<String> statuses = new ArrayList<>();
        JsonNode attributes;
        do {
            Thread.sleep(100);
            attributes = client.get("/api/profile-bulk-import-jobs/" + jobId).json().path("data").path("attributes");
            statuses.add(attributes.path("status").asText());
        } while (!attributes.path("status").asText().equals("complete"));
        assertTrue(statuses.contains("processing"), statuses.toString());
        assertEquals(1502, attributes.path("total_count").asInt());
        assertEquals(1500, attributes.path("completed_count").asInt());
        assertEquals(2, attributes.path("failed_count").asInt());
        assertEquals(1500, fake.state().listMembers(listId).size());
        JsonNode errors = client.get("/api/profile-bulk-import-jobs/" + jobId + "/import-errors").json();
        assertEquals(2, errors.path("data").size());
        assertEquals("/data/attributes/profiles/data/1500/attributes/email",
                errors.path("data").path(0).path("attributes").path("source").path("pointer").asText());
        assertEquals("broken@", errors.path("data").path(0).path("attributes").path("original_payload")
                .path("email").asText());
        fake.assertNoViolations();
    }

    @Test
    void aJobWhoseProfilesAllFailCompletesWithOnlyErrors() throws Exception {
        fake.jobTiming(Duration.ofMillis(10), Duration.ofMillis(400));
        Client.Response r = client.post("/api/profile-bulk-import-jobs", importBody(List.of(
                profile("'email':'x@'"), profile("'phone_number':'12'")), null));
        String path = "/api/profile-bulk-import-jobs/" + r.json().path("data").path("id").asText();
        Thread.sleep(150);
        JsonNode processing = client.get(path).json().path("data").path("attributes");
        assertEquals("processing", processing.path("status").asText());
        assertEquals(0, processing.path("completed_count").asInt());
        fake.awaitJobs();
        JsonNode done = client.get(path).json().path("data").path("attributes");
        assertEquals(0, done.path("completed_count").asInt());
        assertEquals(2, done.path("failed_count").asInt());
        assertEquals(0, fake.state().profileCount());
        assertEquals(2, client.get(path + "/import-errors").json().path("data").size());
    }

    @Test
    void importLimitsAre10000ProfilesAnd5MB() {
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            profiles.add(profile("'email':'u" + i + "@example.com'"));
        }
        assertEquals(400, client.post("/api/profile-bulk-import-jobs", importBody(profiles, null)).status());
        List<String> big = new ArrayList<>();
        String padding = "x".repeat(600);
        for (int i = 0; i < 9000; i++) {
            big.add(profile("'email':'u" + i + "@example.com','properties':{'pad':'" + padding + "'}"));
        }
        Client.Response tooBig = client.post("/api/profile-bulk-import-jobs", importBody(big, null));
        assertEquals(413, tooBig.status());
        assertEquals(2, fake.violations().size());
        assertEquals(404, client.post("/api/profile-bulk-import-jobs", importBody(profiles.subList(0, 1),
                "NOLIST")).status(), "an unknown list");
    }

    @Test
    void subscriptionJobRecordsConsentAndList() {
        String listId = createList("Subscribers");
        Client.Response r = client.post("/api/profile-subscription-bulk-create-jobs", Client.json(
                "{'data':{'type':'profile-subscription-bulk-create-job','attributes':{'profiles':{'data':["
                + "{'type':'profile','attributes':{'email':'Sub@Example.com','subscriptions':{'email':"
                + "{'marketing':{'consent':'SUBSCRIBED','consented_at':'2026-01-02T03:04:05Z'}}}}}]}},"
                + "'relationships':{'list':{'data':{'type':'list','id':'" + listId + "'}}}}}"));
        assertEquals(202, r.status(), r.toString());
        fake.awaitJobs();
        FakeProfile p = fake.state().profileByEmail("sub@example.com").orElseThrow();
        assertEquals("SUBSCRIBED", p.emailMarketingConsent());
        assertEquals("2026-01-02T03:04:05Z", p.emailConsentAt().toString());
        assertEquals(List.of(p.id()), fake.state().listMembers(listId));
        fake.assertNoViolations();
    }
}
