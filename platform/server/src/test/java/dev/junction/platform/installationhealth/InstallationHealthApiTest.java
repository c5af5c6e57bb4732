package dev.junction.platform.installationhealth;

import dev.junction.platform.support.InboxDrain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.SendGridWebhookData;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An installation's health through the API: counts by outcome, errors linked to the event log, tenant isolation. */
@MicronautTest(transactional = false)
class InstallationHealthApiTest extends ApiTestBase {

    private record Setup(String tenant, String id, String webhookPath) { }

    private Setup install(String prefix) {
        String t = newTenant(prefix);
        Api.Response r = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("name", "SendGrid", "config", Map.of("api_key", "SG.health-test")));
        assertEquals(201, r.status(), r.toString());
        return new Setup(t, r.json().get("id").asText(), URI.create(r.json().get("webhook_url").asText()).getPath());
    }

    @Test
    void aNewInstallationIsIdleWithEmptyFigures() {
        Setup s = install("idle");
        JsonNode h = tenantAdmin(s.tenant()).get("/v1/admin/installations/" + s.id() + "/health").json();
        assertEquals("idle", h.get("status").asText(), h.toString());
        assertEquals(24, h.get("hours").size());
        assertEquals(0, h.path("backlog").path("pending").asInt());
        assertEquals(0, h.get("last_errors").size());
    }

    @Test
    void webhookTrafficAndAFailureShowInTheLastHourAndDay() {
        Setup s = install("health");
        byte[] events = SendGridWebhookData.sampleEvents();
        assertEquals(200, api().send("POST", s.webhookPath(), "application/json", events).status());
        assertEquals(400, api().send("POST", s.webhookPath(), "application/json", "not json".getBytes(StandardCharsets.UTF_8)).status());
        InboxDrain.stream(s.id());

        Api viewer = viewer(s.tenant());
        JsonNode h = viewer.get("/v1/admin/installations/" + s.id() + "/health").json();
        assertEquals(14, h.path("last_hour").path("inbound").path("accepted").asInt(), h.toString());
        assertEquals(1, h.path("last_hour").path("inbound").path("malformed").asInt(), h.toString());
        assertEquals(1, h.path("last_hour").path("errors").asInt());
        assertEquals(1.0 / 15, h.path("last_hour").path("error_rate").asDouble(), 1e-9);
        assertEquals(15, h.path("last_day").path("inbound").path("accepted").asInt() + h.path("last_day").path("inbound").path("malformed").asInt());
        assertEquals("degraded", h.get("status").asText(), h.get("status_reason").asText());
        JsonNode currentHour = h.get("hours").get(23);
        assertEquals(15, currentHour.get("inbound").asInt(), h.get("hours").toString());
        assertEquals(1, currentHour.get("errors").asInt());

        JsonNode error = h.get("last_errors").get(0);
        assertEquals("malformed", error.get("status").asText());
        Api.Response entry = viewer.get(error.get("href").asText());
        assertEquals(200, entry.status(), entry.toString());
        assertEquals("webhook_rejected", entry.json().get("kind").asText());
    }

    @Test
    void anotherTenantCannotSeeAnInstallationsHealth() {
        Setup mine = install("mine");
        String other = newTenant("other");
        assertEquals(200, api().send("POST", mine.webhookPath(), "application/json", SendGridWebhookData.sampleEvents()).status());
        Api.Response r = tenantAdmin(other).get("/v1/admin/installations/" + mine.id() + "/health");
        assertEquals(404, r.status(), r.toString());
        assertTrue(!r.body().contains("accepted"), "nothing of the installation leaks: " + r.body());
        // and the other tenant's own installation counts nothing of the first tenant's traffic
        Setup theirs = install("theirs");
        JsonNode h = tenantAdmin(theirs.tenant()).get("/v1/admin/installations/" + theirs.id() + "/health").json();
        assertEquals(0, h.path("last_day").path("inbound").size(), h.toString());
    }
}
