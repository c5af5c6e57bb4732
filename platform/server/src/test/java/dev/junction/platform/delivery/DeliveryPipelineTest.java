package dev.junction.platform.delivery;

import dev.junction.platform.support.InboxDrain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.plugin.TestPlugins;
import dev.junction.platform.plugin.fixtures.DestinationFixture;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.Scrape;
import dev.junction.testkit.FakeHttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.junction.platform.delivery.DeliveryFixtureSupport.all;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.awaitDeliveries;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.installDestination;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.received;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.sdk;
import static dev.junction.platform.delivery.DeliveryFixtureSupport.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery pipeline with a fixture destination posting to a scripted local vendor: routing,
 * order per user, profile enrichment, retries with backoff, rate limits that cost no attempt,
 * dead letters and replay, tenant scoping, and two server instances sharing the outbox.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryPipelineTest extends ApiTestBase implements TestPropertyProvider {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private FakeHttpServer vendor;
    private Map<String, String> properties;

    @Override
    public Map<String, String> getProperties() {
        try {
            vendor = FakeHttpServer.start();
            Path dir = Files.createTempDirectory("junction-delivery-plugins-");
            TestPlugins.zip(dir, "fixture-destination", null, List.of(DestinationFixture.Connector_.class, DestinationFixture.Destination.class));
            properties = Map.of("junction.plugins-dir", dir.toString(), "junction.fixture-destination.api-url", vendor.baseUrl(),
                    "junction.delivery.retry-base", "50ms", "junction.delivery.retry-max", "400ms",
                    "junction.delivery.max-attempts", "4", "junction.delivery.poll-interval", "100ms",
                    "junction.delivery.call-timeout", "2s");
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void stopVendor() {
        vendor.close();
    }

    /** A tenant with a source and one fixture destination on its own vendor route. */
    private DeliveryFixtureSupport.Setup setup(String prefix) {
        String t = newTenant(prefix);
        Api admin = tenantAdmin(t);
        String[] src = source(admin);
        String bucket = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new DeliveryFixtureSupport.Setup(t, src[0], src[1], installDestination(admin, bucket), bucket);
    }

    private Api sdkOf(DeliveryFixtureSupport.Setup s) {
        return sdk(api(), s.writeKey());
    }

    private static Map<String, Object> message(String type, String userId, String messageId, Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("userId", userId);
        m.put("messageId", messageId);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            m.put((String) fields[i], fields[i + 1]);
        }
        return m;
    }

    private static void send(Api sdk, Map<String, Object>... messages) {
        Api.Response r = sdk.post("/v1/batch", Map.of("batch", List.of(messages)));
        assertEquals(200, r.status(), r.toString());
        assertEquals(messages.length, r.json().get("accepted").asInt(), r.toString());
    }

    @Test
    void eventsReachTheDestinationInOrderWithTheUsersProfile() {
        DeliveryFixtureSupport.Setup s = setup("order");
        vendor.on("POST", s.route()).respond(200, "{}");
        Api sdk = sdkOf(s);
        send(sdk, message("identify", "u1", "o-1", "traits", Map.of("email", "ada@example.com", "firstName", "Ada")));
        // a track without e-mail, sent separately: the profile supplies it
        send(sdk, message("track", "u1", "o-2", "event", "Product Viewed", "properties", Map.of("product_id", "p-9")));
        send(sdk, message("track", "u1", "o-3", "event", "Order Completed", "properties", Map.of("revenue", 12.5)),
                message("track", "u1", "o-4", "event", "Order Completed", "properties", Map.of("revenue", 7.5)));
        JsonNode deliveries = awaitDeliveries(tenantAdmin(s.tenant()), "", all(4, "delivered"), WAIT);
        for (JsonNode d : deliveries) {
            assertEquals(1, d.get("attempts").asInt());
            assertEquals(200, d.get("http_status").asInt());
            assertEquals(s.installation(), d.get("installation_id").asText());
        }
        List<JsonNode> got = received(vendor, s.route());
        assertEquals(List.of("o-1", "o-2", "o-3", "o-4"), got.stream().map(e -> e.get("id").asText()).toList());
        assertEquals("ada@example.com", got.get(1).get("email").asText(), "the track found the e-mail in the profile");
        assertEquals("20.0", got.get(3).get("computed").asText(), "lifetime value is the running total");

        JsonNode events = tenantAdmin(s.tenant()).get("/v1/admin/events?installation_id=" + s.installation() + "&limit=50").json().get("items");
        long attempts = 0;
        for (JsonNode e : events) {
            if ("delivery_attempt".equals(e.get("kind").asText())) {
                attempts++;
                assertEquals("delivered", e.get("status").asText());
                assertEquals(200, e.get("http_status").asInt());
            }
        }
        assertEquals(4, attempts, "every attempt is in the live event log: " + events);
    }

    @Test
    void unmappedEventsAreFilteredAndUsersWithoutEmailSkipped() {
        DeliveryFixtureSupport.Setup s = setup("filter");
        vendor.on("POST", s.route()).respond(200, "{}");
        send(sdkOf(s), message("track", "u1", "f-1", "event", "Ignored"), message("track", "stranger", "f-2", "event", "Clicked"));
        JsonNode d = awaitDeliveries(tenantAdmin(s.tenant()), "", items -> items.size() == 2
                && !"pending".equals(items.get(0).get("status").asText()) && !"pending".equals(items.get(1).get("status").asText()), WAIT);
        Map<String, JsonNode> byMessage = byMessage(d);
        assertEquals("filtered", byMessage.get("f-1").get("status").asText());
        assertEquals("not mapped", byMessage.get("f-1").get("reason").asText());
        assertEquals("skipped", byMessage.get("f-2").get("status").asText());
        assertTrue(byMessage.get("f-2").get("reason").asText().contains("e-mail"));
        assertTrue(vendor.requests("POST", s.route()).isEmpty(), "nothing was sent");
    }

    @Test
    void onlyEnabledServerSideDestinationsReceiveEvents() {
        DeliveryFixtureSupport.Setup s = setup("route");
        Api admin = tenantAdmin(s.tenant());
        String disabledBucket = s.bucket() + "-off";
        String disabled = installDestination(admin, disabledBucket);
        assertEquals(200, admin.post("/v1/admin/installations/" + disabled + "/disable", Map.of()).status());
        vendor.on("POST", s.route()).respond(200, "{}");
        send(sdkOf(s), message("identify", "u1", "r-1", "traits", Map.of("email", "r@example.com")));
        JsonNode d = awaitDeliveries(admin, "", all(1, "delivered"), WAIT);
        assertEquals(s.installation(), d.get(0).get("installation_id").asText());
        assertEquals(0, admin.get("/v1/admin/deliveries?installation_id=" + disabled).json().get("items").size());
        // another tenant's events never reach this tenant's destinations
        DeliveryFixtureSupport.Setup other = setup("route-other");
        vendor.on("POST", other.route()).respond(200, "{}");
        send(sdkOf(other), message("identify", "u1", "r-1", "traits", Map.of("email", "other@example.com")));
        awaitDeliveries(tenantAdmin(other.tenant()), "", all(1, "delivered"), WAIT);
        assertEquals(1, received(vendor, s.route()).size());
        assertEquals(1, tenantAdmin(s.tenant()).get("/v1/admin/deliveries").json().get("items").size());
    }

    @Test
    void transientFailuresAreRetriedAndEachUsersOrderIsKept() {
        DeliveryFixtureSupport.Setup s = setup("retry");
        vendor.on("POST", s.route()).respond(503, "{}").respond(502, "{}").respond(200, "{}");
        Api sdk = sdkOf(s);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String user = "user-" + (i % 2);
            String id = "t-" + i;
            sent.add(id);
            send(sdk, message(i < 2 ? "identify" : "track", user, id, "event", "Product Viewed",
                    "traits", Map.of("email", user + "@example.com")));
        }
        JsonNode d = awaitDeliveries(tenantAdmin(s.tenant()), "", all(6, "delivered"), WAIT);
        int attempts = 0;
        for (JsonNode i : d) {
            attempts += i.get("attempts").asInt();
        }
        // the two failed calls carried the first event of each lane (one per user here) or both
        assertTrue(attempts >= 6 + 2, "two failed attempts were counted: " + d);
        // the order of first successful arrival per user equals the order sent
        List<JsonNode> got = received(vendor, s.route());
        List<String> okRequests = new ArrayList<>();
        List<FakeHttpServer.Request> requests = vendor.requests("POST", s.route());
        for (int i = 2; i < requests.size(); i++) { // the first two answers were 503 and 502
            try {
                Api.JSON.readTree(requests.get(i).body()).get("events").forEach(e -> okRequests.add(e.get("id").asText()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        for (String user : List.of("user-0", "user-1")) {
            List<String> expected = sent.stream().filter(id -> Integer.parseInt(id.substring(2)) % 2 == Integer.parseInt(user.substring(5))).toList();
            List<String> firstDelivered = okRequests.stream().filter(expected::contains).distinct().toList();
            assertEquals(expected, firstDelivered, "order of " + user + " in " + got);
        }
    }

    @Test
    void aRateLimitHoldsTheLaneWithoutCountingAnAttempt() {
        DeliveryFixtureSupport.Setup s = setup("ratelimit");
        // longer than the 2 s call: the platform, not the HTTP client, waits it out
        vendor.on("POST", s.route()).respond(429, "{}", "Retry-After", "3").respond(200, "{}");
        long t0 = System.nanoTime();
        send(sdkOf(s), message("identify", "u1", "rl-1", "traits", Map.of("email", "rl@example.com")));
        JsonNode d = awaitDeliveries(tenantAdmin(s.tenant()), "", all(1, "delivered"), WAIT);
        assertEquals(1, d.get(0).get("attempts").asInt(), "the rate-limited try was not an attempt");
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 2_900, "waited for the vendor's reset");
        JsonNode events = tenantAdmin(s.tenant()).get("/v1/admin/events?installation_id=" + s.installation() + "&limit=50").json().get("items");
        boolean sawRateLimited = false;
        for (JsonNode e : events) {
            sawRateLimited |= "delivery_attempt".equals(e.get("kind").asText()) && "rate_limited".equals(e.get("status").asText())
                    && e.get("http_status").asInt() == 429;
        }
        assertTrue(sawRateLimited, events.toString());
    }

    /**
     * The delivery and tracking metrics, scraped from /prometheus like Prometheus does, move by
     * exactly what happened: a 503 (retried), a 429 (rate limited), then delivered; a 400 (dead).
     */
    @Test
    void metricsCountWhatHappenedToEachDelivery() {
        Scrape before = Scrape.of(api());
        DeliveryFixtureSupport.Setup s = setup("metrics");
        // a reset longer than the 2 s call: the platform holds the lane (rate_limited), not the HTTP client
        vendor.on("POST", s.route()).respond(503, "{}").respond(429, "{}", "Retry-After", "3").respond(200, "{}");
        Api sdk = sdkOf(s);
        send(sdk, message("identify", "u1", "m-1", "traits", Map.of("email", "m1@example.com")));
        Api.Response again = sdk.post("/v1/batch", Map.of("batch", List.of(message("identify", "u1", "m-1", "traits", Map.of()))));
        assertEquals(1, again.json().get("accepted").asInt(), again.toString());
        InboxDrain.tenant(s.tenant());
        awaitDeliveries(tenantAdmin(s.tenant()), "", all(1, "delivered"), WAIT);

        DeliveryFixtureSupport.Setup d = setup("metrics-dead");
        vendor.on("POST", d.route()).respond(400, "{}");
        send(sdkOf(d), message("identify", "u2", "m-2", "traits", Map.of("email", "m2@example.com")));
        awaitDeliveries(tenantAdmin(d.tenant()), "", all(1, "dead"), WAIT);

        Scrape after = Scrape.of(api());
        String connector = "fixture-destination";
        for (String[] expected : new String[][] {{"delivered", "1"}, {"retried", "1"}, {"rate_limited", "1"}, {"dead", "1"}}) {
            double delta = after.value("junction_deliveries_total", "connector", connector, "outcome", expected[0])
                    - before.value("junction_deliveries_total", "connector", connector, "outcome", expected[0]);
            assertEquals(Double.parseDouble(expected[1]), delta, expected[0]);
        }
        assertEquals(2, after.value("junction_tracking_messages_total", "outcome", "accepted")
                - before.value("junction_tracking_messages_total", "outcome", "accepted"));
        assertEquals(1, after.value("junction_tracking_messages_total", "outcome", "duplicate")
                - before.value("junction_tracking_messages_total", "outcome", "duplicate"));
        // four plugin calls of "deliver": the 503, the 429 and the 200 of m-1, and the 400 of m-2, each answered by the plugin
        double okCalls = after.value("junction_plugin_call_duration_seconds_count", "connector", connector, "method", "deliver", "outcome", "ok")
                + after.value("junction_plugin_call_duration_seconds_count", "connector", connector, "method", "deliver", "outcome", "error")
                - before.value("junction_plugin_call_duration_seconds_count", "connector", connector, "method", "deliver", "outcome", "ok")
                - before.value("junction_plugin_call_duration_seconds_count", "connector", connector, "method", "deliver", "outcome", "error");
        assertEquals(4, okCalls, after.text().lines().filter(l -> l.startsWith("junction_plugin_call")).toList().toString());
        assertTrue(after.value("junction_vendor_http_duration_seconds_count", "connector", connector, "status_class", "5xx")
                > before.value("junction_vendor_http_duration_seconds_count", "connector", connector, "status_class", "5xx"));
        assertTrue(after.value("junction_eventlog_write_duration_seconds_count", "kind", "record")
                > before.value("junction_eventlog_write_duration_seconds_count", "kind", "record"));
        // no tenant id, user id or URL in any label of Junction's own series
        after.samples().keySet().stream().filter(k -> k.startsWith("junction_")).forEach(series -> {
            assertTrue(!series.contains(s.tenant()) && !series.contains("\"u1\"") && !series.contains("://"), series);
        });
    }

    @Test
    void aPermanentRejectionIsDeadLetteredAndReplaysOnceFixed() {
        DeliveryFixtureSupport.Setup s = setup("dead");
        vendor.on("POST", s.route()).respond(400, "{\"errors\":[{\"message\":\"unknown field last_page_url\"}]}").respond(200, "{}");
        send(sdkOf(s), message("identify", "u1", "d-1", "traits", Map.of("email", "d@example.com")));
        Api admin = tenantAdmin(s.tenant());
        JsonNode dead = awaitDeliveries(admin, "status=dead", items -> items.size() == 1, WAIT).get(0);
        assertEquals(400, dead.get("http_status").asInt());
        assertTrue(dead.get("reason").asText().contains("unknown field last_page_url"), "the vendor's answer is kept: " + dead);
        assertEquals(1, dead.get("attempts").asInt(), "a 4xx is not retried");

        Api.Response replay = admin.post("/v1/admin/deliveries/replay", Map.of("ids", List.of(dead.get("id").asLong())));
        assertEquals(200, replay.status(), replay.toString());
        assertEquals(1, replay.json().get("replayed").asInt());
        JsonNode after = awaitDeliveries(admin, "", all(1, "delivered"), WAIT).get(0);
        assertEquals(1, after.get("replays").asInt());
        assertEquals(2, received(vendor, s.route()).size());
        assertEquals(0, admin.post("/v1/admin/deliveries/replay", Map.of("ids", List.of(dead.get("id").asLong()))).json().get("replayed").asInt(),
                "a delivered event is not replayed");
    }

    @Test
    void eventsThatKeepFailingAreDeadLetteredAfterTheAttemptLimitAndReplayedByFilter() {
        DeliveryFixtureSupport.Setup s = setup("exhaust");
        vendor.on("POST", s.route()).respond(503, "{}");
        send(sdkOf(s), message("identify", "u1", "x-1", "traits", Map.of("email", "x@example.com")),
                message("identify", "u2", "x-2", "traits", Map.of("email", "y@example.com")));
        Api admin = tenantAdmin(s.tenant());
        JsonNode dead = awaitDeliveries(admin, "", all(2, "dead"), WAIT);
        assertEquals(4, dead.get(0).get("attempts").asInt());
        assertTrue(dead.get(0).get("reason").asText().startsWith("Gave up after 4 attempts"), dead.toString());

        vendor.on("POST", s.route()).respond(200, "{}"); // queued behind the 503 it repeats: one more failure first
        Api.Response replay = admin.post("/v1/admin/deliveries/replay", Map.of("filter", Map.of("installation_id", s.installation())));
        assertEquals(2, replay.json().get("replayed").asInt(), replay.toString());
        awaitDeliveries(admin, "", all(2, "delivered"), WAIT);
    }

    @Test
    void theOutboxApiValidatesAndIsTenantScoped() {
        DeliveryFixtureSupport.Setup s = setup("scope");
        vendor.on("POST", s.route()).respond(400, "{}");
        send(sdkOf(s), message("identify", "u1", "s-1", "traits", Map.of("email", "s@example.com")));
        Api admin = tenantAdmin(s.tenant());
        long id = awaitDeliveries(admin, "status=dead", items -> items.size() == 1, WAIT).get(0).get("id").asLong();

        assertEquals(422, admin.get("/v1/admin/deliveries?status=bogus").status());
        assertEquals(400, admin.post("/v1/admin/deliveries/replay", Map.of()).status());
        assertEquals(400, admin.post("/v1/admin/deliveries/replay", Map.of("ids", List.of(id), "filter", Map.of())).status());
        assertEquals(422, admin.post("/v1/admin/deliveries/replay", Map.of("filter", Map.of("status", "delivered"))).status());
        assertEquals(200, viewer(s.tenant()).get("/v1/admin/deliveries/" + id).status());
        assertEquals(403, viewer(s.tenant()).post("/v1/admin/deliveries/replay", Map.of("ids", List.of(id))).status());

        String other = newTenant("scope-other");
        assertEquals(404, tenantAdmin(other).get("/v1/admin/deliveries/" + id).status());
        assertEquals(0, tenantAdmin(other).get("/v1/admin/deliveries").json().get("items").size());
        assertEquals(0, tenantAdmin(other).post("/v1/admin/deliveries/replay", Map.of("ids", List.of(id))).json().get("replayed").asInt());
        assertEquals("dead", admin.get("/v1/admin/deliveries/" + id).json().get("status").asText());
    }

    @Test
    void twoServerInstancesShareTheOutboxWithoutDeliveringAnEventTwice() {
        DeliveryFixtureSupport.Setup s = setup("twin");
        // slow answers, so that both instances' workers are busy at once
        vendor.on("POST", s.route()).respondAfter(20, 200, "{}");
        Map<String, Object> props = new HashMap<>(properties);
        props.put("micronaut.server.port", -1);
        try (EmbeddedServer second = ApplicationContext.run(EmbeddedServer.class, props, "test")) {
            Api sdkA = sdkOf(s);
            Api sdkB = sdk(new Api(second.getURI()), s.writeKey());
            int users = 40;
            int perUser = 10;
            for (int round = 0; round < perUser; round++) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int u = 0; u < users; u++) {
                    batch.add(message("identify", "user-" + u, "tw-" + u + "-" + round, "traits",
                            Map.of("email", "user" + u + "@example.com", "round", round)));
                }
                Api target = round % 2 == 0 ? sdkA : sdkB;
                assertEquals(200, target.post("/v1/batch", Map.of("batch", batch)).status());
            }
            awaitDeliveries(tenantAdmin(s.tenant()), "status=delivered", items -> items.size() == users * perUser, Duration.ofSeconds(60));
            List<JsonNode> got = received(vendor, s.route());
            Set<String> seen = new HashSet<>();
            Map<String, Integer> lastRound = new HashMap<>();
            for (JsonNode e : got) {
                assertTrue(seen.add(e.get("id").asText()), "delivered twice: " + e.get("id"));
                String user = e.get("user").asText();
                int round = e.get("traits").get("round").asInt();
                assertTrue(lastRound.getOrDefault(user, -1) < round, "out of order for " + user);
                lastRound.put(user, round);
            }
            assertEquals(users * perUser, seen.size());
            long secondDelivered = second.getApplicationContext().getBean(DeliveryWorkers.class).deliveredCount();
            assertTrue(secondDelivered > 0, "the second instance took part");
        }
    }

    private static Map<String, JsonNode> byMessage(JsonNode items) {
        Map<String, JsonNode> out = new HashMap<>();
        items.forEach(i -> out.put(i.get("message_id").asText(), i));
        return out;
    }
}
