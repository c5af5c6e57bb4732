package dev.junction.platform.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.FakeContact;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.FieldType;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.RecordedRequest;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.FakeSendGridServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.junction.platform.delivery.DeliveryFixtureSupport.all;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.awaitDeliveries;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.sdk;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side delivery to SendGrid end to end: the tracking API, the profile store, the outbox and
 * its workers, the SendGrid plugin's event destination, and the fake SendGrid validating every
 * request against SendGrid's OpenAPI documents.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendGridDeliveryApiTest extends ApiTestBase implements TestPropertyProvider {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final FakeSendGrid sendgrid = FakeSendGridServer.get();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(FakeSendGridServer.properties());
        p.put("junction.delivery.retry-base", "100ms");
        p.put("junction.delivery.retry-max", "1s");
        p.put("junction.delivery.poll-interval", "100ms");
        return p;
    }

    @AfterEach
    void clearFaults() {
        sendgrid.clearFaults();
        sendgrid.assertNoViolations();
    }

    /** A tenant with a source and a SendGrid installation delivering server-side, with a default list. */
    private record Setup(String tenant, String writeKey, String installation, String listId, String domain) {
        String email(String user) {
            return user + "@" + domain;
        }
    }

    private Setup setup(String prefix, Map<String, Object> extraConfig) {
        String t = newTenant(prefix);
        Api admin = tenantAdmin(t);
        String key = "SG.delivery-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);
        String listId = sendgrid.createList("Customers " + t).id();
        Map<String, Object> config = new LinkedHashMap<>(Map.of("api_key", key, "default_list_id", listId));
        config.putAll(extraConfig);
        Api.Response installed = admin.post("/v1/admin/integration-catalog/sendgrid/install",
                Map.of("name", "SendGrid", "variant", "default", "config", config, "delivery_mode", "server_side"));
        assertEquals(201, installed.status(), installed.toString());
        return new Setup(t, source(admin)[0], installed.json().get("id").asText(), listId,
                prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
    }

    private void send(Setup s, List<Map<String, Object>> batch) {
        Api.Response r = sdk(api(), s.writeKey()).post("/v1/batch", Map.of("batch", batch));
        assertEquals(200, r.status(), r.toString());
        assertEquals(batch.size(), r.json().get("accepted").asInt(), r.toString());
    }

    private static Map<String, Object> identify(String user, Map<String, Object> traits) {
        return new LinkedHashMap<>(Map.of("type", "identify", "userId", user, "messageId", UUID.randomUUID().toString(), "traits", traits));
    }

    private static Map<String, Object> track(String user, String event, Map<String, Object> properties) {
        return new LinkedHashMap<>(Map.of("type", "track", "userId", user, "event", event, "messageId", UUID.randomUUID().toString(),
                "properties", properties, "timestamp", "2026-11-20T10:00:00Z"));
    }

    private FakeContact contact(String email) {
        sendgrid.awaitJobs();
        return sendgrid.contact(email).orElseThrow(() -> new AssertionError("no SendGrid contact " + email));
    }

    @Test
    void anIdentifyBecomesAContactWithNamesPhoneListAndUserId() {
        Setup s = setup("identify", Map.of());
        send(s, List.of(identify("u-1", Map.of("email", s.email("ada"), "firstName", "Ada", "lastName", "Lovelace",
                "phone", "+44 20 7946 0958"))));
        JsonNode d = awaitDeliveries(tenantAdmin(s.tenant()), "", all(1, "delivered"), WAIT);
        assertEquals(202, d.get(0).get("http_status").asInt(), "SendGrid accepts upserts with 202");
        FakeContact c = contact(s.email("ada"));
        assertEquals("Ada", c.firstName());
        assertEquals("Lovelace", c.lastName());
        assertEquals("+442079460958", c.phoneNumber());
        assertTrue(c.listIds().contains(s.listId()), "added to the default list");
        assertEquals("u-1", sendgrid.customFieldValues(s.email("ada")).get("junction_user_id"));
        assertNull(c.externalId(), "SendGrid's External ID is set only when the installation asks for it");

        JsonNode log = tenantAdmin(s.tenant()).get("/v1/admin/events?installation_id=" + s.installation() + "&limit=100").json().get("items");
        boolean attempt = false;
        boolean httpCall = false;
        for (JsonNode e : log) {
            attempt |= e.get("kind").asText().equals("delivery_attempt") && e.get("http_status").asInt() == 202
                    && e.get("status").asText().equals("delivered");
            httpCall |= e.get("kind").asText().equals("http_call") && e.get("name").asText().contains("/v3/marketing/contacts");
        }
        assertTrue(attempt && httpCall, "the attempt and SendGrid's 202 are in the live event log: " + log);
    }

    @Test
    void withUserIdAsExternalIdTheContactCarriesSendGridsExternalId() {
        Setup s = setup("extid", Map.of("user_id_as_external_id", true));
        send(s, List.of(identify("u-9", Map.of("email", s.email("eve"), "firstName", "Eve"))));
        awaitDeliveries(tenantAdmin(s.tenant()), "", all(1, "delivered"), WAIT);
        FakeContact c = contact(s.email("eve"));
        assertEquals("u-9", c.externalId(), "SendGrid's External ID identifier");
        assertEquals("Eve", c.firstName());
        assertTrue(c.listIds().contains(s.listId()));
        assertEquals("u-9", sendgrid.customFieldValues(s.email("eve")).get("junction_user_id"));
    }

    @Test
    void pagesProductViewsAndOrdersUpdateCustomFieldsAndTheLifetimeValueAccumulates() {
        Setup s = setup("fields", Map.of());
        String email = s.email("bo");
        send(s, List.of(identify("u-2", Map.of("email", email, "firstName", "Bo"))));
        awaitDeliveries(tenantAdmin(s.tenant()), "", all(1, "delivered"), WAIT);
        send(s, List.of(
                new LinkedHashMap<>(Map.of("type", "page", "userId", "u-2", "name", "Pricing", "messageId", UUID.randomUUID().toString(),
                        "properties", Map.of("url", "https://shop.example.com/pricing"))),
                track("u-2", "Product Viewed", Map.of("product_id", "sku-42")),
                track("u-2", "Order Completed", Map.of("revenue", 30.25))));
        awaitDeliveries(tenantAdmin(s.tenant()), "", all(4, "delivered"), WAIT);
        send(s, List.of(track("u-2", "Order Completed", Map.of("total", 19.75))));
        awaitDeliveries(tenantAdmin(s.tenant()), "", all(5, "delivered"), WAIT);

        contact(email);
        Map<String, Object> fields = sendgrid.customFieldValues(email);
        assertEquals("https://shop.example.com/pricing", fields.get("last_page_url"));
        assertEquals("sku-42", fields.get("last_product_id"));
        assertEquals(0, new BigDecimal("50.00").compareTo(new BigDecimal(String.valueOf(fields.get("lifetime_value")))),
                "30.25 + 19.75: " + fields);
        assertTrue(String.valueOf(fields.get("last_purchase_at")).startsWith("2026-11-20"), fields.toString());
        assertEquals(FieldType.NUMBER, sendgrid.customField("lifetime_value").orElseThrow().type());
        assertEquals(FieldType.DATE, sendgrid.customField("last_purchase_at").orElseThrow().type());
    }

    @Test
    void refusedMarketingConsentBlocksDelivery() {
        Setup s = setup("consent", Map.of());
        Map<String, Object> refused = identify("u-3", Map.of("email", s.email("cy")));
        refused.put("context", Map.of("consent", Map.of("categoryPreferences", Map.of("marketing", false, "analytics", true))));
        send(s, List.of(refused));
        JsonNode d = awaitDeliveries(tenantAdmin(s.tenant()), "", all(1, "filtered"), WAIT);
        assertTrue(d.get(0).get("reason").asText().contains("consent"), d.toString());
        sendgrid.awaitJobs();
        assertTrue(sendgrid.contact(s.email("cy")).isEmpty(), "nothing reached SendGrid");
        JsonNode log = tenantAdmin(s.tenant()).get("/v1/admin/events?installation_id=" + s.installation() + "&status=filtered").json().get("items");
        assertEquals(1, log.size(), "the log says why: " + log);
    }

    @Test
    void withoutConsentDataTheInstallationSettingDecides() {
        Setup s = setup("noconsent", Map.of("send_events_without_consent", false));
        send(s, List.of(identify("u-4", Map.of("email", s.email("di")))));
        awaitDeliveries(tenantAdmin(s.tenant()), "", all(1, "filtered"), WAIT);
        Map<String, Object> granted = identify("u-4", Map.of("email", s.email("di")));
        granted.put("context", Map.of("consent", Map.of("categoryPreferences", Map.of("marketing", true))));
        send(s, List.of(granted));
        awaitDeliveries(tenantAdmin(s.tenant()), "status=delivered", items -> items.size() == 1, WAIT);
        assertTrue(contact(s.email("di")).listIds().contains(s.listId()));
    }

    @Test
    void aRateLimitStormAndAnOutageEndWithEveryContactInItsLatestState() {
        Setup s = setup("storm", Map.of());
        // SendGrid rate limits for a while, then fails for a while: the platform keeps retrying
        sendgrid.inject(Fault.rateLimited(Duration.ofSeconds(2)).times(6).on("PUT", "/v3/marketing/contacts"));
        sendgrid.inject(Fault.status(503).times(8).on("PUT", "/v3/marketing/contacts"));
        int users = 12;
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                batch.add(identify("storm-" + u, Map.of("email", s.email("storm" + u), "firstName", "Round" + round)));
            }
            send(s, batch);
        }
        awaitDeliveries(tenantAdmin(s.tenant()), "", all(users * rounds, "delivered"), Duration.ofSeconds(90));
        for (int u = 0; u < users; u++) {
            assertEquals("Round" + (rounds - 1), contact(s.email("storm" + u)).firstName(), "the latest state of user " + u);
        }
        long rateLimited = sendgrid.requests("PUT", "/v3/marketing/contacts").stream().filter(r -> r.status() == 429).count();
        long failed = sendgrid.requests("PUT", "/v3/marketing/contacts").stream().filter(r -> r.status() == 503).count();
        assertEquals(6, rateLimited);
        assertEquals(8, failed);
        // after a 202, an event is never sent again: accepted upserts carry each event at most once
        int acceptedContacts = 0;
        for (RecordedRequest r : sendgrid.requests("PUT", "/v3/marketing/contacts")) {
            if (r.status() == 202) {
                acceptedContacts += r.batchSize();
            }
        }
        assertTrue(acceptedContacts <= users * rounds, "no event was delivered twice: " + acceptedContacts);
    }

    @Test
    void aPermanentRefusalIsDeadLetteredAndReplayedOnceTheCauseIsFixed() {
        Setup s = setup("dead400", Map.of());
        sendgrid.inject(Fault.status(400).times(1).on("PUT", "/v3/marketing/contacts"));
        send(s, List.of(identify("u-5", Map.of("email", s.email("ed"), "firstName", "Ed"))));
        Api admin = tenantAdmin(s.tenant());
        JsonNode dead = awaitDeliveries(admin, "status=dead", items -> items.size() == 1, WAIT).get(0);
        assertEquals(400, dead.get("http_status").asInt(), dead.toString());
        assertEquals(1, dead.get("attempts").asInt(), "a 400 is not retried");
        assertEquals(200, admin.post("/v1/admin/deliveries/replay", Map.of("filter", Map.of())).status());
        awaitDeliveries(admin, "", all(1, "delivered"), WAIT);
        assertEquals("Ed", contact(s.email("ed")).firstName());
    }

    @Test
    void aCustomFieldOfTheWrongTypeIsAClearErrorAndReplaysAfterTheFieldIsFixed() {
        Setup s = setup("mismatch", Map.of());
        sendgrid.customField("lifetime_value").ifPresent(f -> sendgrid.deleteCustomField(f.id()));
        sendgrid.addCustomField("lifetime_value", FieldType.TEXT);
        try {
            send(s, List.of(identify("u-6", Map.of("email", s.email("fi"))), track("u-6", "Order Completed", Map.of("revenue", 12))));
            Api admin = tenantAdmin(s.tenant());
            JsonNode dead = awaitDeliveries(admin, "status=dead", items -> items.size() == 1, WAIT).get(0);
            String reason = dead.get("reason").asText();
            assertTrue(reason.contains("lifetime_value") && reason.contains("Text") && reason.contains("Number"), reason);
            JsonNode log = admin.get("/v1/admin/events?installation_id=" + s.installation() + "&status=dead").json().get("items");
            assertFalse(log.isEmpty(), "the mismatch is in the live event log");

            sendgrid.deleteCustomField("lifetime_value"); // the customer fixes the field in SendGrid
            assertEquals(1, admin.post("/v1/admin/deliveries/replay", Map.of("ids", List.of(dead.get("id").asLong()))).json().get("replayed").asInt());
            awaitDeliveries(admin, "status=delivered", items -> items.size() == 2, WAIT);
            contact(s.email("fi"));
            assertEquals(0, BigDecimal.valueOf(12).compareTo(new BigDecimal(String.valueOf(sendgrid.customFieldValues(s.email("fi")).get("lifetime_value")))));
        } finally {
            if (sendgrid.customField("lifetime_value").map(f -> f.type() != FieldType.NUMBER).orElse(false)) {
                sendgrid.deleteCustomField("lifetime_value");
            }
        }
    }
}
