package dev.junction.platform.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakeklaviyo.FakeKlaviyo;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Klaviyo cohort sync end to end: the API, the platform's difference and run machinery, the built
 * Klaviyo plugin, and the fake Klaviyo validating every request against Klaviyo's OpenAPI files
 * (strict). A test fixture only: nothing Klaviyo-specific is in the server's main code.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KlaviyoCohortSyncApiTest extends ApiTestBase implements TestPropertyProvider {

    private final FakeKlaviyo klaviyo = FakeKlaviyo.start();

    @Override
    public Map<String, String> getProperties() {
        return Map.of("junction.klaviyo.api-url", klaviyo.baseUrl(), "junction.cohort-sync.poll-interval", "200ms",
                "junction.cohort-sync.retry-base", "200ms");
    }

    @AfterAll
    void stop() {
        klaviyo.close();
    }

    private JsonNode runToEnd(Api admin, String syncs, String sync) {
        String run = admin.post(syncs + "/" + sync + "/run", Map.of()).json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = admin.get(syncs + "/" + sync + "/runs/" + run).json();
            String status = r.get("status").asText();
            if (status.equals("succeeded") || status.equals("partially_succeeded") || status.equals("failed")) {
                return r;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("run did not end");
    }

    @Test
    void twoThousandMembersWithDuplicatesInvalidAndEmailLessOnesEndAsOneExactListWithARowLevelReport() {
        String tenant = newTenant("kl-cohort");
        Api admin = tenantAdmin(tenant);
        Api.Response installed = admin.post("/v1/admin/integration-catalog/klaviyo/install",
                Map.of("name", "Klaviyo", "config", Map.of("api_key", klaviyo.defaultApiKey())));
        assertEquals(201, installed.status(), installed.toString());
        String syncs = "/v1/admin/installations/" + installed.json().get("id").asText() + "/cohort-syncs";
        assertEquals(201, admin.post("/v1/admin/cohorts", Map.of("key", "buyers", "name", "Buyers")).status());

        StringBuilder ndjson = new StringBuilder();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            ndjson.append("{\"user_id\":\"u").append(i).append("\",\"email\":\"user").append(i)
                    .append("@kl.example.com\",\"first_name\":\"F").append(i).append("\"}\n");
            expected.add("user" + i + "@kl.example.com");
        }
        ndjson.append("{\"user_id\":\"d\",\"email\":\" USER7@KL.Example.com \",\"first_name\":\"Dup\"}\n")
                .append("{\"user_id\":\"x\",\"email\":\"not an email\"}\n")
                .append("{\"user_id\":\"k\",\"email\":\"one.letter@tld.c\"}\n")
                .append("{\"user_id\":\"n\",\"first_name\":\"No e-mail\"}\n");
        Api.Response uploaded = admin.send("PUT", "/v1/admin/cohorts/buyers/members", "application/x-ndjson",
                ndjson.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, uploaded.status(), uploaded.toString());
        Api.Response created = admin.post(syncs, Map.of("cohort_key", "buyers", "list_name", "Buyers",
                "mapping", Map.of("email", "email", "first_name", "first_name"), "cadence", "manual"));
        assertEquals(201, created.status(), created.toString());
        String sync = created.json().get("id").asText();

        JsonNode run = runToEnd(admin, syncs, sync);

        klaviyo.awaitJobs();
        assertEquals(1, klaviyo.state().lists().size());
        assertEquals(expected, klaviyo.state().listMemberEmails(klaviyo.state().lists().get(0).id()), run.toString());
        assertEquals(1, run.at("/counts/duplicates_merged").asInt(), run.toString());
        assertEquals(1, run.at("/counts/skipped_no_email").asInt(), run.toString());
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals(2_000, run.at("/counts/added").asInt(), run.toString());
        // both invalid addresses are caught by the platform before Klaviyo (a Klaviyo-side refusal of a
        // profile, reported as a rejection row, is tested in the plugin's KlaviyoCohortSyncTest)
        assertEquals(2, run.at("/counts/invalid_email").asInt(), run.toString());
        assertTrue(run.at("/counts/invalid_email_sample").toString().contains("not an email")
                && run.at("/counts/invalid_email_sample").toString().contains("one.letter@tld.c"), run.toString());
        assertEquals(0, run.at("/counts/rejected").asInt(), run.toString());
        assertEquals("completed", run.at("/vendor_jobs/0/state").asText(), run.toString());
        assertEquals("complete", run.at("/vendor_jobs/0/details/vendor_status").asText(), "Klaviyo's own word");
        assertEquals(2_000, run.at("/vendor_jobs/0/details/profiles").asInt(), "one import job, each profile once");
        klaviyo.assertNoViolations();
    }
}
