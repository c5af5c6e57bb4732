package dev.junction.platform.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.InboxDrain;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.platform.support.TestDatabase;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SendGrid's Event Webhook through the real HTTP endpoint, into the event log, on PostgreSQL. */
@MicronautTest(transactional = false)
@Property(name = "junction.webhooks.max-body-size", value = "2MB")
@Property(name = "junction.public-url", value = "https://hooks.example.test")
class WebhookIngestTest extends ApiTestBase {

    /** A tenant with an unsigned SendGrid installation: slug, installation id, webhook path. */
    record Setup(String tenant, String installationId, String path) { }

    private Setup install(String prefix) {
        String t = newTenant(prefix);
        Api.Response r = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("name", "SendGrid", "config", Map.of("api_key", "SG.webhook-test")));
        assertEquals(201, r.status(), r.toString());
        String url = r.json().get("webhook_url").asText();
        return new Setup(t, r.json().get("id").asText(), URI.create(url).getPath());
    }

    private Api.Response post(String path, String body) {
        return api().send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static long storedEvents(String installationId) throws Exception {
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM event_log WHERE installation_id = ? AND kind = 'webhook_event'")) {
            ps.setObject(1, UUID.fromString(installationId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void installGivesARandomWebhookUrl() {
        Setup a = install("hook");
        Setup b = install("hook");
        assertTrue(a.path().matches("^/v1/webhooks/[A-Za-z0-9_-]{32}$"), a.path());
        assertNotEquals(a.path(), b.path());
        assertFalse(a.path().contains(a.installationId()), "not the installation id");
        JsonNode installation = tenantAdmin(a.tenant()).get("/v1/admin/installations/" + a.installationId()).json();
        assertEquals("https://hooks.example.test" + a.path(), installation.get("webhook_url").asText());

        Api.Response klaviyo = tenantAdmin(a.tenant()).post("/v1/admin/integration-catalog/klaviyo/install?check=false",
                Map.of("config", Map.of("api_key", "pk_abc")));
        assertFalse(klaviyo.json().has("webhook_url"), "no webhook for a connector without event_source");
    }

    /**
     * Guessing: ids one character away from a real one, its prefixes and case changes find nothing.
     * Ids are looked up by their SHA-256 (WebhookRouteLookup), never compared as text, so how long a
     * wrong guess takes says nothing about how close it was; the stored column is the hash's index.
     */
    @Test
    void nearMissWebhookIdsFindNothing() throws Exception {
        Setup a = install("guess");
        String id = a.path().substring("/v1/webhooks/".length());
        byte[] body = SendGridWebhookData.sampleEvents();
        List<String> guesses = new java.util.ArrayList<>();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            guesses.add(id.substring(0, i) + (c == 'A' ? 'B' : 'A') + id.substring(i + 1));
        }
        guesses.add(id.substring(0, 31));
        guesses.add(id + "A");
        guesses.add(id.toUpperCase(java.util.Locale.ROOT).equals(id) ? id.toLowerCase(java.util.Locale.ROOT) : id.toUpperCase(java.util.Locale.ROOT));
        for (String guess : guesses) {
            assertEquals(404, api().send("POST", "/v1/webhooks/" + guess, "application/json", body).status(), guess);
        }
        assertEquals(200, api().send("POST", a.path(), "application/json", body).status(), "the real id still works");
        try (java.sql.Connection c = dev.junction.platform.support.TestDatabase.connect();
             java.sql.ResultSet rs = c.createStatement().executeQuery(
                     "SELECT indexdef FROM pg_indexes WHERE tablename = 'webhook_endpoint' AND indexdef LIKE '%UNIQUE%'")) {
            java.util.List<String> unique = new java.util.ArrayList<>();
            while (rs.next()) {
                unique.add(rs.getString(1));
            }
            assertEquals(1, unique.size(), unique.toString());
            assertTrue(unique.get(0).contains("(id_hash)"), "looked up by hash only: " + unique);
        }
    }

    @Test
    void everySampleEventIsStoredAndNamed() throws Exception {
        Setup s = install("samples");
        Api.Response r = api().send("POST", s.path(), "application/json", SendGridWebhookData.sampleEvents());
        assertEquals(200, r.status(), r.toString());
        assertEquals(14, r.json().get("accepted").asInt());
        InboxDrain.stream(s.installationId());
        assertEquals(14, storedEvents(s.installationId()), "stored behind the ack");

        JsonNode page = tenantAdmin(s.tenant()).get("/v1/admin/events?direction=inbound&installation_id=" + s.installationId()
                + "&limit=100").json();
        Set<String> names = new HashSet<>();
        page.get("items").forEach(e -> names.add(e.get("name").asText()));
        assertTrue(names.containsAll(List.of("[Sendgrid] processed", "[Sendgrid] bounce", "[Sendgrid] group_resubscribe")), names.toString());
        JsonNode first = page.get("items").get(0);
        assertEquals("accepted", first.get("status").asText());
        JsonNode full = tenantAdmin(s.tenant()).get("/v1/admin/events/" + first.get("id").asText()).json();
        assertEquals("sendgrid", full.at("/payload/library").asText());
        assertEquals(full.get("dedupe_key").asText(), full.at("/payload/properties/sg_event_id").asText());
    }

    @Test
    void aBatchPostedTwiceIsStoredOnce() throws Exception {
        Setup s = install("dedupe");
        String batch = SendGridWebhookData.batch(1000, UUID.randomUUID().toString());
        assertTrue(batch.length() > 200_000);
        Api.Response first = post(s.path(), batch);
        assertEquals(200, first.status(), first.toString());
        assertEquals(1000, first.json().get("accepted").asInt());
        InboxDrain.stream(s.installationId());
        assertEquals(1000, storedEvents(s.installationId()));

        Api.Response again = post(s.path(), batch);
        assertEquals(200, again.status(), "a redelivery is acknowledged again");
        assertEquals(1000, again.json().get("accepted").asInt(), "acknowledged: duplicates are known only behind the ack");
        InboxDrain.stream(s.installationId());
        assertEquals(1000, storedEvents(s.installationId()), "nothing stored twice");

        String withRepeats = "[{\"email\":\"a@b.c\",\"event\":\"open\",\"sg_event_id\":\"rep\",\"timestamp\":1},"
                + "{\"email\":\"a@b.c\",\"event\":\"open\",\"sg_event_id\":\"rep\",\"timestamp\":1}]";
        assertEquals(2, post(s.path(), withRepeats).json().get("accepted").asInt());
        InboxDrain.stream(s.installationId());
        assertEquals(1001, storedEvents(s.installationId()), "repeats inside one batch are stored once");
    }

    @Test
    void badRequestsAreRefusedAndStoreNothing() throws Exception {
        Setup s = install("bad");
        assertEquals(400, post(s.path(), "{not json").status());
        assertEquals(400, post(s.path(), "[1, 2").status());
        assertEquals(400, post(s.path(), "[] []").status());
        assertEquals(400, post(s.path(), "\"open\"").status());
        // well-formed JSON, but not what SendGrid sends: acknowledged, then refused by the connector behind the ack
        assertEquals(200, post(s.path(), "{\"event\":\"open\"}").status());
        assertEquals(404, post("/v1/webhooks/" + "A".repeat(32), "[]").status());
        assertEquals(404, post("/v1/webhooks/short", "[]").status());
        byte[] big = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        Api.Response tooBig = api().send("POST", s.path(), "application/json", big);
        assertEquals(413, tooBig.status(), tooBig.toString());
        InboxDrain.stream(s.installationId());
        assertEquals(0, storedEvents(s.installationId()));
        JsonNode rejections = tenantAdmin(s.tenant()).get("/v1/admin/events?status=malformed").json();
        assertEquals(5, rejections.get("items").size(), rejections.toString());
        JsonNode behind = tenantAdmin(s.tenant()).get("/v1/admin/events/" + rejections.at("/items/0/id").asText()).json();
        assertEquals("open", behind.at("/payload/body/event").asText(), "what was acknowledged is kept: " + behind);
    }

    @Test
    void disabledOrDeletedInstallationsAreNotFound() {
        Setup s = install("gone");
        assertEquals(200, tenantAdmin(s.tenant()).post("/v1/admin/installations/" + s.installationId() + "/disable", Map.of()).status());
        assertEquals(404, post(s.path(), "[]").status());
        tenantAdmin(s.tenant()).post("/v1/admin/installations/" + s.installationId() + "/enable", Map.of());
        assertEquals(200, post(s.path(), "[]").status());
        assertEquals(204, tenantAdmin(s.tenant()).delete("/v1/admin/installations/" + s.installationId()).status());
        assertEquals(404, post(s.path(), "[]").status());
    }

    @Test
    void rotationStopsTheOldUrlOrKeepsItForAGracePeriod() {
        Setup s = install("rotate");
        String base = "/v1/admin/installations/" + s.installationId() + "/webhook/rotate";
        JsonNode rotated = tenantAdmin(s.tenant()).post(base, Map.of()).json();
        String newPath = URI.create(rotated.get("url").asText()).getPath();
        assertNotEquals(s.path(), newPath);
        assertEquals(404, post(s.path(), "[]").status(), "old URL stops at once");
        assertEquals(200, post(newPath, "[]").status());

        JsonNode graceful = tenantAdmin(s.tenant()).post(base, Map.of("grace_period_seconds", 3600)).json();
        String newest = URI.create(graceful.get("url").asText()).getPath();
        assertEquals(200, post(newPath, "[]").status(), "previous URL works during the grace period");
        assertEquals(200, post(newest, "[]").status());
        assertEquals(graceful.get("previous_url").asText(), "https://hooks.example.test" + newPath);
        assertEquals(newest, URI.create(tenantAdmin(s.tenant()).get("/v1/admin/installations/" + s.installationId())
                .json().get("webhook_url").asText()).getPath());
        assertEquals(422, tenantAdmin(s.tenant()).post(base, Map.of("grace_period_seconds", -1)).status());
    }

    @Test
    void basicAuthCanBeRequired() {
        Setup s = install("basic");
        String base = "/v1/admin/installations/" + s.installationId() + "/webhook/basic-auth";
        Api.Response set = tenantAdmin(s.tenant()).put(base, Map.of("username", "sendgrid", "password", "a-long-password-123"));
        assertEquals(200, set.status(), set.toString());
        assertEquals("sendgrid", set.json().get("basic_auth_username").asText());
        assertFalse(set.body().contains("a-long-password-123"));

        Api.Response none = post(s.path(), "[]");
        assertEquals(401, none.status());
        assertTrue(none.headers().firstValue("www-authenticate").orElse("").startsWith("Basic"));
        String good = "Basic " + Base64.getEncoder().encodeToString("sendgrid:a-long-password-123".getBytes(StandardCharsets.UTF_8));
        String bad = "Basic " + Base64.getEncoder().encodeToString("sendgrid:wrong-password-xx".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, api().with("Authorization", good).send("POST", s.path(), "application/json", "[]".getBytes()).status());
        assertEquals(401, api().with("Authorization", bad).send("POST", s.path(), "application/json", "[]".getBytes()).status());

        assertEquals(200, tenantAdmin(s.tenant()).delete(base).status());
        assertEquals(200, post(s.path(), "[]").status(), "no longer required");
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        Setup a = install("iso-a");
        String b = newTenant("iso-b");
        post(a.path(), SendGridWebhookData.batch(3, UUID.randomUUID().toString()));
        InboxDrain.stream(a.installationId());
        JsonNode aEvents = tenantAdmin(a.tenant()).get("/v1/admin/events").json().get("items");
        assertEquals(3, aEvents.size());
        String eventId = aEvents.get(0).get("id").asText();

        assertEquals(0, tenantAdmin(b).get("/v1/admin/events").json().get("items").size());
        assertEquals(0, tenantAdmin(b).get("/v1/admin/events?installation_id=" + a.installationId()).json().get("items").size());
        assertEquals(404, tenantAdmin(b).get("/v1/admin/events/" + eventId).status());
        assertEquals(404, tenantAdmin(b).post("/v1/admin/installations/" + a.installationId() + "/webhook/rotate", Map.of()).status());
        assertEquals(404, tenantAdmin(b).get("/v1/admin/installations/" + a.installationId()).status());
    }

    @Test
    void eventsArePagedNewestFirst() {
        Setup s = install("paging");
        post(s.path(), SendGridWebhookData.batch(25, UUID.randomUUID().toString()));
        InboxDrain.stream(s.installationId());
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = tenantAdmin(s.tenant()).get("/v1/admin/events?limit=10" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(e -> ids.add(e.get("id").asText()));
            cursor = page.has("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        assertEquals(25, ids.size());
        assertEquals(25, new HashSet<>(ids).size());
        assertEquals(422, tenantAdmin(s.tenant()).get("/v1/admin/events?direction=sideways").status());
        assertEquals(422, tenantAdmin(s.tenant()).get("/v1/admin/events?since=yesterday").status());
        JsonNode q = tenantAdmin(s.tenant()).get("/v1/admin/events?q=user7@example.com").json();
        assertEquals(1, q.get("items").size(), q.toString());
        assertNull(q.get("items").get(0).get("payload"), "lists leave the payload out");
    }

    @Test
    void searchMatchesAUserIdADedupeKeyOrPartOfANameAndPagesLikeAnyQuery() {
        Setup s = install("search");
        String prefix = UUID.randomUUID().toString();
        post(s.path(), SendGridWebhookData.batch(20, prefix));  // user0..user19, delivered/open/click/processed in turn
        InboxDrain.stream(s.installationId());
        var admin = tenantAdmin(s.tenant());

        JsonNode byKey = admin.get("/v1/admin/events?q=" + prefix + "-3").json().get("items");
        assertEquals(1, byKey.size(), byKey.toString());
        assertEquals(prefix + "-3", byKey.get(0).get("dedupe_key").asText());

        JsonNode byName = admin.get("/v1/admin/events?q=CLICK").json().get("items");
        assertEquals(5, byName.size(), "part of a name, case-insensitive: " + byName);
        byName.forEach(e -> assertEquals("[Sendgrid] click", e.get("name").asText()));

        assertEquals(1, admin.get("/v1/admin/events?q=user1@example.com&name=%5BSendgrid%5D%20open").json().get("items").size(),
                "q narrows the other filters");
        assertEquals(0, admin.get("/v1/admin/events?q=user1@example.com&name=%5BSendgrid%5D%20click").json().get("items").size());
        assertEquals(0, admin.get("/v1/admin/events?q=nobody@example.com").json().get("items").size());
        assertEquals(0, admin.get("/v1/admin/events?q=%25").json().get("items").size(), "% is a character, not a wildcard");

        List<String> ids = new ArrayList<>();
        List<String> recorded = new ArrayList<>();
        String cursor = null;
        do {  // "sendgrid" is in every name: all 20, newest first, over pages of 7
            JsonNode page = admin.get("/v1/admin/events?q=sendgrid&limit=7" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(e -> {
                ids.add(e.get("id").asText());
                recorded.add(e.get("id").asText());
            });
            cursor = page.has("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        assertEquals(20, ids.size());
        assertEquals(20, new HashSet<>(ids).size());
        JsonNode all = admin.get("/v1/admin/events?limit=100").json().get("items");
        List<String> newestFirst = new ArrayList<>();
        all.forEach(e -> {
            if (e.get("name").asText().startsWith("[Sendgrid]")) {
                newestFirst.add(e.get("id").asText());
            }
        });
        assertEquals(newestFirst, ids, "the same order as the unfiltered list");

        String other = newTenant("search-other");
        assertEquals(0, tenantAdmin(other).get("/v1/admin/events?q=click").json().get("items").size(),
                "names are looked up in the caller's tenant only");
    }
}
