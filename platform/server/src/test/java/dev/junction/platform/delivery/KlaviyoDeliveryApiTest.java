package dev.junction.platform.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakeklaviyo.FakeEvent;
import dev.junction.fakeklaviyo.FakeKlaviyo;
import dev.junction.fakeklaviyo.FakeProfile;
import dev.junction.fakeklaviyo.Fault;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.junction.platform.delivery.DeliveryFixtureSupport.all;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.awaitDeliveries;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.sdk;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side delivery to Klaviyo end to end: the tracking API, the outbox and its workers, the
 * built Klaviyo plugin's event destination, and the fake Klaviyo validating every request against
 * Klaviyo's OpenAPI files (strict). A test fixture only: nothing Klaviyo-specific is in the server's
 * main code.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KlaviyoDeliveryApiTest extends ApiTestBase implements TestPropertyProvider {

    private static final Map<String, Object> CONSENTED =
            Map.of("consent", Map.of("categoryPreferences", Map.of("marketing", true)));
    private final FakeKlaviyo klaviyo = FakeKlaviyo.start();

    @Override
    public Map<String, String> getProperties() {
        return Map.of("junction.klaviyo.api-url", klaviyo.baseUrl(), "junction.delivery.retry-base", "100ms",
                "junction.delivery.retry-max", "1s", "junction.delivery.poll-interval", "100ms");
    }

    @AfterAll
    void stop() {
        klaviyo.assertNoViolations();
        klaviyo.close();
    }

    private static Map<String, Object> message(String type, String user, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>(fields);
        m.put("type", type);
        m.put("userId", user);
        m.put("messageId", UUID.randomUUID().toString());
        m.put("timestamp", "2026-11-20T10:00:00Z");
        m.put("context", CONSENTED);
        return m;
    }

    @Test
    void anIdentifyTrackPageOrderSequenceEndsAsOneProfileAndEachEventOnceAfterA429StormAndAnOutage() {
        String tenant = newTenant("kl-deliver");
        Api admin = tenantAdmin(tenant);
        Api.Response installed = admin.post("/v1/admin/integration-catalog/klaviyo/install",
                Map.of("name", "Klaviyo", "variant", "default", "config", Map.of("api_key", klaviyo.defaultApiKey()),
                        "delivery_mode", "server_side"));
        assertEquals(201, installed.status(), installed.toString());
        String writeKey = source(admin)[0];
        String email = "ada-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String user = "kl-" + UUID.randomUUID();
        klaviyo.inject(Fault.rateLimited(Duration.ofSeconds(2)).times(12).on("create_event"));
        klaviyo.inject(Fault.status(503).times(8).on("create_or_update_profile"));

        List<Map<String, Object>> batch = List.of(
                message("identify", user, Map.of("traits", Map.of("email", email, "firstName", "Ada", "lastName", "Lovelace",
                        "phone", "+44 20 7946 0958", "plan", "pro"))),
                message("track", user, Map.of("event", "Product Viewed", "properties", Map.of("product_id", "p-1"))),
                message("page", user, Map.of("name", "Pricing", "properties", Map.of("url", "https://example.com/pricing"))),
                message("track", user, Map.of("event", "Order Completed", "properties",
                        Map.of("order_id", "o-1", "revenue", 99.5, "currency", "USD"))));
        Api.Response r = sdk(api(), writeKey).post("/v1/batch", Map.of("batch", batch));
        assertEquals(200, r.status(), r.toString());

        JsonNode d = awaitDeliveries(admin, "", all(4, "delivered"), Duration.ofSeconds(90));
        assertEquals(4, d.size());
        FakeProfile p = klaviyo.state().profileByExternalId(user).orElseThrow();
        assertEquals(email, p.email());
        assertEquals("Ada", p.attributes().get("first_name"));
        assertEquals("+442079460958", p.phoneNumber());
        assertEquals("pro", p.properties().get("plan").asText());
        List<FakeEvent> events = klaviyo.state().events().stream().filter(e -> e.profileId().equals(p.id())).toList();
        assertEquals(3, events.size(), "each event once: " + events);
        assertEquals(List.of("Order Completed", "Product Viewed", "Viewed Page"),
                events.stream().map(FakeEvent::metricName).sorted().toList());
        assertEquals(99.5, events.stream().filter(e -> e.metricName().equals("Order Completed")).findFirst().orElseThrow().value());
        assertTrue(klaviyo.requests("create_event").stream().anyMatch(q -> q.status() == 429), "the storm happened");
        assertTrue(klaviyo.requests("create_or_update_profile").stream().anyMatch(q -> q.status() == 503), "the outage happened");
    }
}
