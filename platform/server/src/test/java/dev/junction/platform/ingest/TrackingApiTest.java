package dev.junction.platform.ingest;

import dev.junction.platform.support.InboxDrain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.plugin.TestPlugins;
import dev.junction.platform.plugin.fixtures.DestinationFixture;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.TestDatabase;
import dev.junction.testkit.FakeHttpServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.junction.platform.delivery.DeliveryFixtureSupport.sdk;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Segment-compatible tracking API and HTTP sources: write keys, the four endpoints, limits,
 * per-message errors, messageId dedupe, and the profile store.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackingApiTest extends ApiTestBase implements TestPropertyProvider {

    private FakeHttpServer vendor;

    @jakarta.inject.Inject
    TrackedEventRetention retention;

    @Override
    public Map<String, String> getProperties() {
        try {
            vendor = FakeHttpServer.start();
            Path dir = Files.createTempDirectory("junction-tracking-plugins-");
            TestPlugins.zip(dir, "fixture-destination", null, List.of(DestinationFixture.Connector_.class, DestinationFixture.Destination.class));
            return Map.of("junction.plugins-dir", dir.toString(), "junction.fixture-destination.api-url", vendor.baseUrl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void stopVendor() {
        vendor.close();
    }

    private static Map<String, Object> identify(String userId, String messageId, Map<String, Object> traits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", userId);
        m.put("messageId", messageId);
        m.put("traits", traits);
        return m;
    }

    @Test
    void sourcesShowTheirWriteKeyOnceAndRotateWithGrace() {
        String t = newTenant("src");
        Api admin = tenantAdmin(t);
        Api.Response created = admin.post("/v1/admin/sources", Map.of("name", "Web app"));
        assertEquals(201, created.status(), created.toString());
        String key = created.json().get("write_key").asText();
        String id = created.json().get("id").asText();
        assertTrue(key.startsWith("jwk_") && key.length() == 36, key);
        assertTrue(created.json().get("write_key_hint").asText().startsWith(key.substring(0, 8)));

        JsonNode listed = admin.get("/v1/admin/sources").json().get("items");
        assertEquals(1, listed.size());
        assertNull(listed.get(0).get("write_key"), "the key is shown only once");
        assertFalse(admin.get("/v1/admin/sources/" + id).body().contains(key));

        Api anonymous = api();
        assertEquals(200, sdk(anonymous, key).post("/v1/identify", identify("u1", "m-1", Map.of())).status());

        Api.Response rotated = admin.post("/v1/admin/sources/" + id + "/rotate", Map.of("grace_period_seconds", 3600));
        assertEquals(200, rotated.status(), rotated.toString());
        String newKey = rotated.json().get("write_key").asText();
        assertEquals(200, sdk(anonymous, newKey).post("/v1/identify", identify("u1", "m-2", Map.of())).status());
        assertEquals(200, sdk(anonymous, key).post("/v1/identify", identify("u1", "m-3", Map.of())).status(),
                "the old key works during its grace period");

        assertEquals(200, admin.post("/v1/admin/sources/" + id + "/rotate", Map.of()).status());
        Api.Response old = sdk(anonymous, newKey).post("/v1/identify", identify("u1", "m-4", Map.of()));
        assertEquals(401, old.status(), "without grace the replaced key stops at once");
        assertTrue(old.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals("application/problem+json", old.contentType());

        assertEquals(204, admin.delete("/v1/admin/sources/" + id).status());
        assertEquals(404, admin.get("/v1/admin/sources/" + id).status());
    }

    @Test
    void sourcesBelongToTheirTenantAndViewersCannotCreateThem() {
        String a = newTenant("srca");
        String b = newTenant("srcb");
        String id = source(tenantAdmin(a))[1];
        assertEquals(404, tenantAdmin(b).get("/v1/admin/sources/" + id).status());
        assertEquals(404, tenantAdmin(b).post("/v1/admin/sources/" + id + "/rotate", Map.of()).status());
        assertEquals(404, tenantAdmin(b).delete("/v1/admin/sources/" + id).status());
        assertEquals(0, tenantAdmin(b).get("/v1/admin/sources").json().get("items").size());
        assertEquals(403, viewer(a).post("/v1/admin/sources", Map.of("name", "x")).status());
        assertEquals(200, viewer(a).get("/v1/admin/sources/" + id).status());
        assertEquals(422, tenantAdmin(a).post("/v1/admin/sources", Map.of("name", "")).status());
    }

    @Test
    void writeKeysAuthenticateAsBasicUserOrInTheBody() {
        String t = newTenant("auth");
        String key = source(tenantAdmin(t))[0];
        Api anonymous = api();
        assertEquals(401, anonymous.post("/v1/track", Map.of("userId", "u", "event", "E")).status());
        assertEquals(401, sdk(anonymous, "jwk_" + "x".repeat(32)).post("/v1/track", Map.of("userId", "u", "event", "E")).status());
        assertEquals(401, sdk(anonymous, "not-a-key").post("/v1/track", Map.of("userId", "u", "event", "E")).status());
        Map<String, Object> withKey = new LinkedHashMap<>(Map.of("userId", "u", "event", "E", "writeKey", key));
        Api.Response r = anonymous.post("/v1/track", withKey);
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().get("success").asBoolean());
        // a malformed body does not tell an unauthenticated caller anything about parsing
        assertEquals(401, anonymous.send("POST", "/v1/batch", "application/json", "not json".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(400, sdk(anonymous, key).send("POST", "/v1/batch", "application/json", "not json".getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    void aBatchKeepsItsValidMessagesAndReportsTheOthers() throws Exception {
        String t = newTenant("batch");
        String key = source(tenantAdmin(t))[0];
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(Map.of("type", "identify", "userId", "u1", "messageId", "b-1", "traits", Map.of("email", "u1@example.com")));
        batch.add(Map.of("type", "track", "userId", "u1", "messageId", "b-2"));                    // no event
        batch.add(Map.of("type", "track", "messageId", "b-3", "event", "Clicked"));                // no user
        batch.add(Map.of("type", "screen", "userId", "u1", "messageId", "b-4", "name", "Home"));   // unsupported
        batch.add(Map.of("type", "page", "anonymousId", "anon-9", "messageId", "b-5", "name", "Pricing",
                "properties", Map.of("url", "https://example.com/pricing")));
        batch.add(Map.of("type", "track", "userId", "u1", "messageId", "b-6", "event", "Big",
                "properties", Map.of("blob", "x".repeat(33 * 1024))));                             // over 32 KB
        batch.add(Map.of("type", "track", "userId", "u1", "messageId", "b-7", "event", "Dated", "timestamp", "yesterday"));
        Api.Response r = sdk(api(), key).post("/v1/batch", Map.of("batch", batch));
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.json().get("accepted").asInt());
        JsonNode errors = r.json().get("errors");
        assertEquals(5, errors.size(), errors.toString());
        assertEquals(List.of(1, 2, 3, 5, 6), List.of(errors.get(0).get("index").asInt(), errors.get(1).get("index").asInt(),
                errors.get(2).get("index").asInt(), errors.get(3).get("index").asInt(), errors.get(4).get("index").asInt()));
        assertTrue(errors.get(0).get("detail").asText().contains("event is required"), errors.toString());
        assertTrue(errors.get(3).get("detail").asText().contains("limited to 32768 bytes"), errors.toString());
        assertEquals(List.of("b-1", "b-5"), storedMessageIds(t));

        Api.Response none = sdk(api(), key).post("/v1/batch", Map.of("batch", List.of(Map.of("type", "track", "userId", "u"))));
        assertEquals(400, none.status(), none.toString());
        assertEquals("application/problem+json", none.contentType());
        assertEquals("/batch/0", none.json().get("errors").get(0).get("pointer").asText(), none.toString());
    }

    @Test
    void segmentsSizeLimitsAreEnforced() {
        String t = newTenant("size");
        String key = source(tenantAdmin(t))[0];
        Api.Response single = sdk(api(), key).post("/v1/track", Map.of("userId", "u", "event", "E",
                "properties", Map.of("blob", "x".repeat(33 * 1024))));
        assertEquals(413, single.status(), single.toString());
        assertEquals("application/problem+json", single.contentType());
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(Map.of("type", "track", "userId", "u", "event", "E", "properties", Map.of("blob", "x".repeat(30 * 1024))));
        }
        assertEquals(413, sdk(api(), key).post("/v1/batch", Map.of("batch", batch)).status());
        assertEquals(0, storedMessageIds(t).size(), "nothing of a refused request is stored");
    }

    @Test
    void aRepeatedMessageIdIsStoredAndCountedOnce() {
        String t = newTenant("dedupe");
        Api admin = tenantAdmin(t);
        String key = source(admin)[0];
        Map<String, Object> order = Map.of("userId", "buyer", "messageId", "order-1", "event", "Order Completed",
                "properties", Map.of("revenue", 40.5), "timestamp", "2026-11-20T10:00:00Z");
        assertEquals(1, sdk(api(), key).post("/v1/track", order).json().get("accepted").asInt());
        Api.Response again = sdk(api(), key).post("/v1/track", order);
        assertEquals(200, again.status());
        assertEquals(1, again.json().get("accepted").asInt(), "acknowledged again; stored once behind the ack");
        Api.Response twiceInOneBatch = sdk(api(), key).post("/v1/batch", Map.of("batch", List.of(
                Map.of("type", "track", "userId", "buyer", "messageId", "order-2", "event", "Order Completed", "properties", Map.of("total", "9.5"),
                        "timestamp", "2026-11-19T10:00:00Z"),
                Map.of("type", "track", "userId", "buyer", "messageId", "order-2", "event", "Order Completed", "properties", Map.of("total", "9.5"),
                        "timestamp", "2026-11-19T10:00:00Z"))));
        assertEquals(2, twiceInOneBatch.json().get("accepted").asInt());
        assertEquals(List.of("order-1", "order-2"), storedMessageIds(t), "each messageId once");

        JsonNode profile = admin.get("/v1/admin/profiles?user_id=buyer").json();
        assertEquals(0, profile.get("lifetime_value").decimalValue().compareTo(new java.math.BigDecimal("50.0")), profile.toString());
        assertEquals(2, profile.get("order_count").asInt());
        assertEquals("2026-11-20T10:00:00Z", profile.get("last_order_at").asText().replace(".000", ""), profile.toString());
    }

    @Test
    void identifyTraitsAreMergedIntoTheProfileAndAnonymousIdsFollowTheUser() {
        String t = newTenant("profile");
        Api admin = tenantAdmin(t);
        String key = source(admin)[0];
        Api sdk = sdk(api(), key);
        assertEquals(200, sdk.post("/v1/identify", Map.of("userId", "u7", "anonymousId", "anon-7",
                "traits", Map.of("email", "ada@example.com", "firstName", "Ada", "plan", "free"))).status());
        assertEquals(200, sdk.post("/v1/identify", Map.of("userId", "u7", "traits", Map.of("plan", "pro", "phone", "+1 555"))).status());
        InboxDrain.tenant(t);
        JsonNode p = admin.get("/v1/admin/profiles?user_id=u7").json();
        assertEquals("ada@example.com", p.get("traits").get("email").asText());
        assertEquals("pro", p.get("traits").get("plan").asText(), "the latest value of a trait wins");
        assertEquals("+1 555", p.get("traits").get("phone").asText());
        assertEquals(404, admin.get("/v1/admin/profiles?user_id=nobody").status());
        assertEquals(400, admin.get("/v1/admin/profiles").status());
        assertEquals(404, tenantAdmin(newTenant("other")).get("/v1/admin/profiles?user_id=u7").status(),
                "another tenant's profiles do not exist for it");
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id FROM profile_alias a JOIN tenant t ON t.id = a.tenant_id WHERE t.slug = ? AND anonymous_id = 'anon-7'")) {
            ps.setString(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("u7", rs.getString(1));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void acceptedMessagesAppearInTheLiveEventLog() {
        String t = newTenant("log");
        Api admin = tenantAdmin(t);
        String key = source(admin)[0];
        String messageId = "log-" + UUID.randomUUID();
        assertEquals(200, sdk(api(), key).post("/v1/track", Map.of("userId", "u1", "event", "Signed Up", "messageId", messageId)).status());
        InboxDrain.tenant(t);
        JsonNode events = admin.get("/v1/admin/events?limit=10").json().get("items");
        JsonNode e = null;
        for (JsonNode candidate : events) {
            if ("tracked_event".equals(candidate.get("kind").asText())) {
                e = candidate;
            }
        }
        assertTrue(e != null, events.toString());
        assertEquals("Signed Up", e.get("name").asText());
        assertEquals("inbound", e.get("direction").asText());
        e = admin.get("/v1/admin/events/" + e.get("id").asText()).json();
        assertEquals(messageId, e.get("payload").get("message").get("messageId").asText());
    }

    @Test
    void eventsPastTheTenantsRetentionAreDeletedUnlessStillPending() throws Exception {
        String t = newTenant("retain");
        Api admin = tenantAdmin(t);
        String key = source(admin)[0];
        assertEquals(200, admin.patch("/v1/admin/tenants/" + t, Map.of("event_retention_days", 2)).status());
        // a destination that never answers 2xx keeps its delivery pending
        String bucket = "retain-" + UUID.randomUUID();
        vendor.on("POST", "/deliver/" + bucket).respond(503, "{}");
        assertEquals(200, sdk(api(), key).post("/v1/batch", Map.of("batch", List.of(
                Map.of("type", "identify", "userId", "old", "messageId", "r-old", "traits", Map.of("email", "o@example.com")),
                Map.of("type", "identify", "userId", "new", "messageId", "r-new", "traits", Map.of("email", "n@example.com"))))).status());
        InboxDrain.tenant(t); // stored before the destination exists: nothing to deliver
        dev.junction.platform.delivery.DeliveryFixtureSupport.installDestination(admin, bucket);
        assertEquals(200, sdk(api(), key).post("/v1/track", Map.of("userId", "old", "event", "E", "messageId", "r-pending")).status());
        InboxDrain.tenant(t);
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE tracked_event SET received_at = now() - interval '3 days' WHERE message_id IN ('r-old', 'r-pending') "
                        + "AND tenant_id = (SELECT id FROM tenant WHERE slug = ?)")) {
            ps.setString(1, t);
            assertEquals(2, ps.executeUpdate());
        }
        assertTrue(retention.run() >= 1);
        assertEquals(List.of("r-new", "r-pending"), storedMessageIds(t), "the pending event waits for its delivery");
    }

    /** The messages stored (behind the ack: waits for the inbox to drain). */
    private static List<String> storedMessageIds(String tenant) {
        InboxDrain.tenant(tenant);
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT message_id FROM tracked_event e JOIN tenant t ON t.id = e.tenant_id WHERE t.slug = ? ORDER BY message_id")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out;
    }

}
