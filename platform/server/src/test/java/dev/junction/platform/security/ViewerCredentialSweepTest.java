package dev.junction.platform.security;

import dev.junction.platform.support.InboxDrain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.ContractFixtures;
import dev.junction.platform.support.FakeSendGridServer;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.platform.support.TestCredentials;
import dev.junction.platform.support.Tokens;
import dev.junction.platform.support.contract.Contract;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A viewer calls every GET operation of the contract, with path ids filled from real resources
 * (an installation with an API key, a webhook with basic auth, a source whose write key a
 * tracking message also carried in its body, a secret, a cohort sync run, the resulting events),
 * and no credential value appears in any response.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerCredentialSweepTest extends ApiTestBase implements TestPropertyProvider {

    private final FakeSendGrid sendgrid = FakeSendGridServer.get();

    @Override
    public Map<String, String> getProperties() {
        return FakeSendGridServer.properties();
    }

    @Test
    void aViewerReadsNoCredentialThroughAnyGet() {
        String tenant = newTenant("sweep");
        Api admin = tenantAdmin(tenant);
        ContractFixtures fx = ContractFixtures.create(admin, tenant, sendgrid);
        Map<String, String> v = new HashMap<>(fx.values());
        String installation = v.get("id");
        String password = "basic-" + UUID.randomUUID();
        TestCredentials.remember(password);
        assertEquals(200, admin.put("/v1/admin/installations/" + installation + "/webhook/basic-auth",
                Map.of("username", "hook", "password", password)).status());
        // a webhook delivery and a tracking message that carries its write key in the body too
        String basic = "Basic " + Base64.getEncoder().encodeToString(("hook:" + password).getBytes(StandardCharsets.UTF_8));
        Api.Response hook = api().with("Authorization", basic).send("POST", "/v1/webhooks/" + v.get("webhook_id"), "application/json",
                SendGridWebhookData.sampleEvents());
        assertTrue(hook.status() < 300, hook.toString());
        Api tracking = api().with("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((v.get("writeKey") + ":").getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, tracking.post("/v1/track", Map.of("userId", "u1", "event", "Signed Up", "writeKey", v.get("writeKey"),
                "context", Map.of("writeKey", v.get("writeKey")), "properties", Map.of("plan", "pro"))).status());
        InboxDrain.tenant(tenant);
        admin.post("/v1/admin/cohorts/aud/members/add", Map.of("members", List.of(Map.of("email", "a@example.com"))));
        Api.Response run = admin.post("/v1/admin/installations/" + installation + "/cohort-syncs/" + v.get("syncId") + "/run", null);
        if (run.status() == 202) {
            v.put("runId", run.json().get("id").asText());
        }
        Api viewer = viewer(tenant);
        JsonNode events = viewer.get("/v1/admin/events?limit=50").json().path("items");
        assertTrue(events.size() > 0, "no events to read");

        List<String> credentials = List.of(v.get("apiKey"), v.get("writeKey"), v.get("webhook_id"), v.get("secretValue"), password,
                Tokens.SECRET, Tokens.tenantAdmin(tenant).substring(0, 40));
        List<String> leaks = new ArrayList<>();
        int calls = 0;
        for (Contract.Operation op : Contract.get().operations()) {
            if (!op.method().equals("GET") || op.template().equals("/v1/admin/events/stream")) {
                continue; // the live tail streams the same event views GET /v1/admin/events returns
            }
            List<String> paths = new ArrayList<>();
            if (op.template().equals("/v1/admin/events/{id}")) {
                events.forEach(e -> paths.add("/v1/admin/events/" + e.get("id").asText()));
            } else {
                Map<String, String> filled = new HashMap<>(v);
                if (op.template().contains("/runs/{runId}") && !v.containsKey("runId")) {
                    filled.put("runId", UUID.randomUUID().toString());
                }
                String path = new ContractFixtures(tenant, filled).path(op);
                if (path == null) {
                    leaks.add("cannot fill " + op.template() + ": add its parameter to the sweep");
                    continue;
                }
                paths.add(path);
            }
            for (String path : paths) {
                Api.Response r = viewer.get(path);
                calls++;
                String body = r.body();
                for (String c : credentials) {
                    if (body.contains(c)) {
                        leaks.add("GET " + path + " (" + r.status() + ") shows a credential: " + c.substring(0, Math.min(8, c.length())) + "…");
                    }
                }
            }
        }
        assertTrue(calls > 25, "only " + calls + " GETs made");
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
        // and a writer still gets the webhook URL
        assertFalse(admin.get("/v1/admin/installations/" + installation).json().path("webhook_url").isMissingNode());
    }
}
