package dev.junction.platform.installation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Permission;
import dev.junction.fakesendgrid.RecordedRequest;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.CapturedLogs;
import dev.junction.platform.support.FakeSendGridServer;
import dev.junction.platform.support.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Installing SendGrid through the API, checked against the fake SendGrid. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallationApiTest extends ApiTestBase implements TestPropertyProvider {

    private static final String LIST_ID = "0f6e4a8b-3c1d-4a5e-9b7f-2d8c6e1a4b3c";

    private final FakeSendGrid sendgrid = FakeSendGridServer.get();

    @Override
    public Map<String, String> getProperties() {
        return FakeSendGridServer.properties();
    }

    /** A fresh API key the fake knows, with the given scopes. */
    private String key(Set<String> scopes) {
        String key = "SG.test-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, scopes);
        return key;
    }

    private String fullKey() {
        return key(FakeSendGrid.MARKETING_SCOPES);
    }

    /** The install body users send (DEVELOPERS.md), with a real list id in place of the ellipsis. */
    private static Map<String, Object> seedBody(String apiKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "SendGrid");
        body.put("variant", "default");
        body.put("config", Map.of("api_key", apiKey, "default_list_id", LIST_ID));
        body.put("delivery_mode", "server_side");
        return body;
    }

    private static void assertNoKeyIn(String key, Api.Response... responses) {
        for (Api.Response r : responses) {
            assertFalse(r.body().contains(key), "key in a response: " + r);
        }
        assertTrue(CapturedLogs.containing(key).isEmpty(), "key in the logs: " + CapturedLogs.containing(key));
    }

    @Test
    void theSeedCurlInstallsSendGrid() {
        String t = newTenant("seed");
        String key = fullKey();
        Api.Response r = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install", seedBody(key));

        assertEquals(201, r.status(), r.toString());
        JsonNode i = r.json();
        UUID.fromString(i.get("id").asText());
        assertEquals("sendgrid", i.get("integration").asText());
        assertEquals("SendGrid", i.get("name").asText());
        assertEquals("default", i.get("variant").asText());
        assertEquals("server_side", i.get("delivery_mode").asText());
        assertEquals("enabled", i.get("status").asText());
        assertEquals("set", i.at("/config/api_key/secret").asText());
        assertEquals(LIST_ID, i.at("/config/default_list_id").asText());
        assertEquals("global", i.at("/config/region").asText(), "schema default applied");
        assertTrue(i.get("created_at").asText().endsWith("Z"));
        assertTrue(i.at("/last_check/succeeded").asBoolean());
        assertTrue(i.get("webhook_url").asText().contains("/v1/webhooks/"));

        RecordedRequest check = sendgrid.requests("GET", "/v3/marketing/lists").stream()
                .filter(q -> q.headers().toString().contains("Bearer ***")).reduce((a, b) -> b).orElseThrow();
        assertEquals(200, check.status());
        sendgrid.assertNoViolations();

        Api.Response got = tenantAdmin(t).get("/v1/admin/installations/" + i.get("id").asText());
        Api.Response list = tenantAdmin(t).get("/v1/admin/installations");
        Api.Response events = tenantAdmin(t).get("/v1/admin/events?direction=outbound");
        assertEquals(200, got.status());
        assertEquals(1, list.json().get("items").size());
        assertNoKeyIn(key, r, got, list, events);
        JsonNode call = tenantAdmin(t).get("/v1/admin/events/" + events.json().at("/items/0/id").asText()).json();
        assertTrue(call.get("name").asText().startsWith("GET /v3/marketing/"), call.toString());
        assertEquals("Bearer ***", call.at("/payload/request_headers/Authorization/0").asText());
        assertNoKeyIn(key, tenantAdmin(t).get("/v1/admin/events/" + call.get("id").asText()));
    }

    @Test
    void theKeyIsInTheSecretStoreOnlyAndEncrypted() throws Exception {
        String t = newTenant("stored");
        String key = fullKey();
        String id = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install", seedBody(key)).json().get("id").asText();
        try (Connection c = TestDatabase.connect()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT config::text FROM installation WHERE id = ?")) {
                ps.setObject(1, UUID.fromString(id));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertFalse(rs.getString(1).contains(key));
                    assertFalse(rs.getString(1).contains("api_key"), "secret fields are not in the row");
                }
            }
            // compared as bytes: random ciphertext may hold a 0x00, which no PostgreSQL text can
            try (PreparedStatement ps = c.prepareStatement("SELECT ciphertext FROM secret WHERE name = ?")) {
                ps.setString(1, "installation." + id + ".api_key");
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "stored as a secret");
                    assertFalse(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1).contains(key));
                }
            }
        }
        Api.Response secrets = tenantAdmin(t).get("/v1/admin/secrets");
        assertTrue(secrets.body().contains("installation." + id + ".api_key"));
        assertEquals(409, tenantAdmin(t).put("/v1/admin/secrets/installation." + id + ".api_key", Map.of("value", "x")).status());
        assertEquals(409, tenantAdmin(t).delete("/v1/admin/secrets/installation." + id + ".api_key").status());
    }

    @Test
    void badConfigsAre422WithPointers() {
        Api admin = tenantAdmin(newTenant("badcfg"));
        String key = fullKey();
        Api.Response missing = admin.post("/v1/admin/integration-catalog/sendgrid/install", Map.of("config", Map.of()));
        assertEquals(422, missing.status());
        assertEquals("/config/api_key", missing.json().at("/errors/0/pointer").asText());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("api_key", key);
        config.put("default_list_id", "not-a-uuid");
        config.put("region", "mars");
        config.put("unknown_field", true);
        Api.Response many = admin.post("/v1/admin/integration-catalog/sendgrid/install",
                Map.of("config", config, "variant", "nope", "delivery_mode", "device_mode"));
        assertEquals(422, many.status(), many.toString());
        List<String> pointers = new ArrayList<>();
        many.json().get("errors").forEach(e -> pointers.add(e.get("pointer").asText()));
        assertTrue(pointers.containsAll(List.of("/variant", "/delivery_mode", "/config/default_list_id", "/config/region",
                "/config/unknown_field")), pointers.toString());

        Api.Response wrongType = admin.post("/v1/admin/integration-catalog/sendgrid/install",
                Map.of("config", Map.of("api_key", 12345)));
        assertEquals(422, wrongType.status());
        assertEquals("/config/api_key", wrongType.json().at("/errors/0/pointer").asText());

        Api.Response notSg = admin.post("/v1/admin/integration-catalog/sendgrid/install",
                Map.of("config", Map.of("api_key", "AKIA-not-a-sendgrid-key")));
        assertEquals(422, notSg.status());
        assertFalse(notSg.body().contains("AKIA-not-a-sendgrid-key"), "the rejected value is not echoed");

        assertEquals(0, admin.get("/v1/admin/installations").json().get("items").size(), "nothing stored");
    }

    @Test
    void aKeyWhoseProbesSucceedIsAcceptedWhateverItsScopeNames() {
        Api admin = tenantAdmin(newTenant("names"));
        String key = "SG.test-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, Set.of("names.junction.never.heard.of"), Permission.all());
        Api.Response r = admin.post("/v1/admin/integration-catalog/sendgrid/install", seedBody(key));
        assertEquals(201, r.status(), r.toString());
        assertTrue(r.json().at("/last_check/succeeded").asBoolean());
        assertNoKeyIn(key, r);
    }

    @Test
    void aKeyWhoseProbeAnswers403IsRefusedNamingThePermission() {
        Api admin = tenantAdmin(newTenant("scopes"));
        String key = "SG.test-" + UUID.randomUUID().toString().replace("-", "");
        // every Marketing scope name, but SendGrid refuses it the custom field definitions
        Set<Permission> access = new HashSet<>(Permission.all());
        access.remove(new Permission(Permission.Resource.CUSTOM_FIELDS, Permission.Action.READ));
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES, access);
        Api.Response r = admin.post("/v1/admin/integration-catalog/sendgrid/install", seedBody(key));
        assertEquals(422, r.status(), r.toString());
        assertEquals("missing_scopes", r.json().get("code").asText());
        assertTrue(r.json().get("detail").asText().contains("read access to Marketing custom field definitions"), r.toString());
        assertTrue(r.json().get("detail").asText().contains("access forbidden"), "SendGrid's own answer: " + r);
        List<String> missing = new ArrayList<>();
        r.json().at("/details/missing_permissions").forEach(s -> missing.add(s.asText()));
        assertEquals(List.of("read access to Marketing custom field definitions"), missing);
        assertEquals(0, admin.get("/v1/admin/installations").json().get("items").size(), "nothing stored");
        assertNoKeyIn(key, r);
    }

    @Test
    void anInvalidKeyIsRefused() {
        Api admin = tenantAdmin(newTenant("invalid"));
        Api.Response r = admin.post("/v1/admin/integration-catalog/sendgrid/install", seedBody("SG.unknown-to-sendgrid"));
        assertEquals(422, r.status());
        assertEquals("invalid_credentials", r.json().get("code").asText());
        assertTrue(r.json().get("detail").asText().contains("invalid API key"));
    }

    @Test
    void checkFalseSkipsTheCheck() {
        Api admin = tenantAdmin(newTenant("nocheck"));
        // only the check reads the contact count
        int before = sendgrid.requests("GET", "/v3/marketing/contacts/count").size();
        Api.Response r = admin.post("/v1/admin/integration-catalog/sendgrid/install?check=false", seedBody("SG.unknown-to-sendgrid"));
        assertEquals(201, r.status());
        assertFalse(r.json().has("last_check"));
        assertEquals(before, sendgrid.requests("GET", "/v3/marketing/contacts/count").size(), "no check call");

        Api.Response recheck = admin.post("/v1/admin/installations/" + r.json().get("id").asText() + "/check", Map.of());
        assertEquals(200, recheck.status());
        assertFalse(recheck.json().get("succeeded").asBoolean());
        assertEquals("invalid_credentials", recheck.json().get("code").asText());
        assertEquals("invalid_credentials", admin.get("/v1/admin/installations/" + r.json().get("id").asText())
                .json().at("/last_check/code").asText());
    }

    @Test
    void twoInstallationsPerTenantAndNoneAcrossTenants() {
        String a = newTenant("multi-a");
        String b = newTenant("multi-b");
        String id1 = tenantAdmin(a).post("/v1/admin/integration-catalog/sendgrid/install", seedBody(fullKey())).json().get("id").asText();
        Map<String, Object> second = seedBody(fullKey());
        second.put("name", "SendGrid EU");
        String id2 = tenantAdmin(a).post("/v1/admin/integration-catalog/sendgrid/install", second).json().get("id").asText();
        Set<String> ids = new HashSet<>();
        tenantAdmin(a).get("/v1/admin/installations").json().get("items").forEach(i -> ids.add(i.get("id").asText()));
        assertEquals(Set.of(id1, id2), ids);

        Api other = tenantAdmin(b);
        assertEquals(0, other.get("/v1/admin/installations").json().get("items").size());
        for (String path : List.of("/v1/admin/installations/" + id1)) {
            assertEquals(404, other.get(path).status());
            assertEquals(404, other.patch(path, Map.of("name", "stolen")).status());
            assertEquals(404, other.delete(path).status());
            assertEquals(404, other.post(path + "/check", Map.of()).status());
            assertEquals(404, other.post(path + "/disable", Map.of()).status());
        }
        assertEquals("SendGrid", tenantAdmin(a).get("/v1/admin/installations/" + id1).json().get("name").asText());
        assertEquals(404, viewer(b).get("/v1/admin/installations/" + id1).status());
        assertEquals(403, viewer(a).post("/v1/admin/integration-catalog/sendgrid/install", seedBody(fullKey())).status());
        assertEquals(200, viewer(a).get("/v1/admin/installations/" + id1).status());
    }

    @Test
    void patchMergesConfigAndKeepsAnOmittedSecret() {
        Api admin = tenantAdmin(newTenant("patch"));
        String key = fullKey();
        String id = admin.post("/v1/admin/integration-catalog/sendgrid/install", seedBody(key)).json().get("id").asText();
        String path = "/v1/admin/installations/" + id;

        Api.Response renamed = admin.patch(path, Map.of("name", "Renamed", "config", Map.of("region", "eu")));
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("Renamed", renamed.json().get("name").asText());
        assertEquals("eu", renamed.json().at("/config/region").asText());
        assertEquals(LIST_ID, renamed.json().at("/config/default_list_id").asText(), "untouched fields kept");
        assertEquals("set", renamed.json().at("/config/api_key/secret").asText(), "omitted secret kept");
        List<RecordedRequest> probes = sendgrid.requests("GET", "/v3/marketing/field_definitions");
        RecordedRequest lastCheck = probes.get(probes.size() - 1);
        assertEquals(200, lastCheck.status(), "the check ran with the kept key");

        Api.Response roundTrip = admin.patch(path, Map.of("config", Map.of("api_key", Map.of("secret", "set"))));
        assertEquals(200, roundTrip.status(), "the placeholder means unchanged");

        String newKey = fullKey();
        assertEquals(200, admin.patch(path, Map.of("config", Map.of("api_key", newKey))).status());
        assertEquals(422, admin.patch(path, Map.of("config", Map.of("api_key", "SG.revoked-key"))).status(),
                "a new key that fails the check is refused");
        Map<String, Object> removeList = new LinkedHashMap<>();
        removeList.put("default_list_id", null);
        Api.Response removed = admin.patch(path, Map.of("config", removeList));
        assertFalse(removed.json().get("config").has("default_list_id"));
        assertEquals(422, admin.patch(path, Map.of("config", Map.of("region", "moon"))).status());
        assertNoKeyIn(newKey, removed, admin.get(path));
    }

    @Test
    void disableEnableAndDelete() throws Exception {
        Api admin = tenantAdmin(newTenant("lifecycle"));
        String id = admin.post("/v1/admin/integration-catalog/sendgrid/install", seedBody(fullKey())).json().get("id").asText();
        String path = "/v1/admin/installations/" + id;
        assertEquals("disabled", admin.post(path + "/disable", Map.of()).json().get("status").asText());
        assertEquals("enabled", admin.post(path + "/enable", Map.of()).json().get("status").asText());
        assertEquals(204, admin.delete(path).status());
        assertEquals(404, admin.get(path).status());
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM secret WHERE name LIKE ?")) {
            ps.setString(1, "installation." + id + ".%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "its secrets are gone");
            }
        }
    }

    @Test
    void placeholdersInstallAndSaySoPlainly() {
        Api admin = tenantAdmin(newTenant("placeholder"));
        Api.Response r = admin.post("/v1/admin/integration-catalog/hubspot/install",
                Map.of("config", Map.of("private_app_token", "pat-na1-abcdef")));
        assertEquals(201, r.status());
        assertEquals("not_implemented", r.json().at("/last_check/code").asText());
        assertTrue(r.json().at("/last_check/message").asText().contains("placeholder"));
    }
}
