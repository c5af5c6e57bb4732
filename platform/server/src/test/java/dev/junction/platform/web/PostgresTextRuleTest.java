package dev.junction.platform.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.FakeSendGridServer;
import dev.junction.platform.support.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge rule for text PostgreSQL cannot store (NUL, lone surrogates) and for repeated JSON keys,
 * with the reproductions of issue 16 (which answered 500 before): each is refused with a problem
 * naming the field, parameter, line or message, and nothing of the request is stored.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresTextRuleTest extends ApiTestBase implements TestPropertyProvider {

    private static final String NUL = "\\u0000";
    private final FakeSendGrid sendgrid = FakeSendGridServer.get();

    @Override
    public Map<String, String> getProperties() {
        return FakeSendGridServer.properties();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefused(Api.Response r, String pointerOrParameter) {
        assertTrue(r.status() == 400 || r.status() == 422, r.toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.toString());
        if (pointerOrParameter != null) {
            assertTrue(r.body().contains(pointerOrParameter), "the problem does not name " + pointerOrParameter + ": " + r.body());
        }
    }

    private String install(Api a) {
        String key = "SG.nul-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);
        Api.Response r = a.post("/v1/admin/integration-catalog/sendgrid/install", Map.of("name", "SendGrid", "config", Map.of("api_key", key)));
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    @Test
    void issueReproductionPatchInstallationWithNulIsA4xxAndChangesNothing() {
        String tenant = newTenant("nul-inst");
        Api a = tenantAdmin(tenant);
        String id = install(a);
        JsonNode before = a.get("/v1/admin/installations/" + id).json();
        assertRefused(a.send("PATCH", "/v1/admin/installations/" + id, "application/json", utf8("{\"name\":\"a" + NUL + "b\"}")), "/name");
        assertRefused(a.send("PATCH", "/v1/admin/installations/" + id, "application/json",
                utf8("{\"config\":{\"k" + NUL + "\":\"v\"}}")), "/config/k");
        assertRefused(a.send("PATCH", "/v1/admin/installations/" + id, "application/json", utf8("{\"name\":\"\\ud800x\"}")), "/name");
        assertEquals(before, a.get("/v1/admin/installations/" + id).json());
    }

    @Test
    void issueReproductionPostSourceWithNulIsA4xxAndStoresNothing() throws Exception {
        String tenant = newTenant("nul-src");
        Api a = tenantAdmin(tenant);
        long before = count("http_source");
        assertRefused(a.send("POST", "/v1/admin/sources", "application/json", utf8("{\"name\":\"App" + NUL + "\"}")), "/name");
        assertRefused(a.send("POST", "/v1/admin/sources", "application/json", utf8("{\"name\":\"\\udc00\"}")), "/name");
        assertEquals(before, count("http_source"));
        assertEquals(0, a.get("/v1/admin/sources").json().path("items").size());
    }

    @Test
    void repeatedKeysAreA400() {
        String tenant = newTenant("dup");
        Api.Response r = tenantAdmin(tenant).send("POST", "/v1/admin/sources", "application/json", utf8("{\"name\":\"a\",\"name\":\"b\"}"));
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.contentType().startsWith("application/problem+json"));
    }

    @Test
    void queryAndPathParametersWithNulAreRefused() {
        String tenant = newTenant("nul-q");
        Api a = tenantAdmin(tenant);
        assertRefused(a.get("/v1/admin/events?q=x%00y"), "\"parameter\":\"q\"");
        Api.Response path = a.get("/v1/admin/cohorts/a%00b");
        assertEquals(404, path.status(), path.toString()); // no resource can be named so
        assertTrue(path.contentType().startsWith("application/problem+json"));
    }

    @Test
    void trackingBatchNamesTheMessageAndStoresNone() throws Exception {
        String tenant = newTenant("nul-trk");
        JsonNode source = tenantAdmin(tenant).post("/v1/admin/sources", Map.of("name", "App")).json();
        Api tracking = api().with("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((source.get("write_key").asText() + ":").getBytes(StandardCharsets.UTF_8)));
        long before = count("tracked_event");
        Api.Response r = tracking.send("POST", "/v1/batch", "application/json", utf8("{\"batch\":["
                + "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"ok\"},"
                + "{\"type\":\"track\",\"userId\":\"u2\",\"event\":\"bad" + NUL + "\"}]}"));
        assertRefused(r, "/batch/1/event");
        assertEquals(before, count("tracked_event"));
    }

    @Test
    void cohortUploadNamesTheLineAndStoresNone() {
        String tenant = newTenant("nul-up");
        Api a = tenantAdmin(tenant);
        assertEquals(201, a.post("/v1/admin/cohorts", Map.of("key", "aud", "name", "Audience")).status());
        Api.Response r = a.send("PUT", "/v1/admin/cohorts/aud/members", "application/x-ndjson",
                utf8("{\"email\":\"a@example.com\"}\n{\"email\":\"b@example.com\",\"first_name\":\"B" + NUL + "\"}\n"));
        assertRefused(r, "Line 2");
        assertEquals(0, a.get("/v1/admin/cohorts/aud").json().get("member_count").asInt());
        Api.Response csv = a.send("PUT", "/v1/admin/cohorts/aud/members", "text/csv",
                new byte[] {'e', 'm', 'a', 'i', 'l', '\n', 'a', '@', 'x', '.', 'c', 'o', '\n', 'b', 0, '@', 'x', '.', 'c', 'o', '\n'});
        assertRefused(csv, "Line 3");
        assertEquals(0, a.get("/v1/admin/cohorts/aud").json().get("member_count").asInt());
    }

    private static long count(String table) throws Exception {
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
