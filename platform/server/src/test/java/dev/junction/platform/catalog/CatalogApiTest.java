package dev.junction.platform.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog as the repository's built plugins fill it. */
@MicronautTest(transactional = false)
class CatalogApiTest extends ApiTestBase {

    private Map<String, JsonNode> bySlug(Api who) {
        Api.Response r = who.get("/v1/admin/integration-catalog");
        assertEquals(200, r.status(), r.toString());
        Map<String, JsonNode> out = new HashMap<>();
        r.json().get("items").forEach(e -> out.put(e.get("slug").asText(), e));
        return out;
    }

    @Test
    void listsSendGridAndThePlaceholders() {
        Map<String, JsonNode> catalog = bySlug(viewer(newTenant("cat")));
        JsonNode sg = catalog.get("sendgrid");
        assertEquals("SendGrid", sg.get("name").asText());
        assertEquals("Marketing Automation", sg.get("category").asText());
        assertEquals("server_side", sg.get("delivery_modes").get(0).asText());
        assertEquals("default", sg.get("variants").get(0).get("key").asText());
        JsonNode apiKey = sg.at("/config_schema/properties/api_key");
        assertTrue(apiKey.get("writeOnly").asBoolean() && apiKey.get("x-secret").asBoolean(), apiKey.toString());
        assertEquals("uuid", sg.at("/config_schema/properties/default_list_id/format").asText());
        assertEquals("1.0.0", sg.at("/plugin/spi_version").asText());

        JsonNode hubspot = catalog.get("hubspot");
        assertEquals("placeholder", hubspot.get("status").asText());
        assertEquals(0, hubspot.get("capabilities").size());
        assertTrue(hubspot.get("description").asText().contains("Not implemented"), hubspot.get("description").asText());

        JsonNode klaviyo = catalog.get("klaviyo");
        assertEquals("preview", klaviyo.get("status").asText());
        assertEquals("[\"cohort_sync\",\"event_destination\"]", klaviyo.get("capabilities").toString());
        assertTrue(klaviyo.get("description").asText().contains("does not yet"), klaviyo.get("description").asText());
        JsonNode klaviyoKey = klaviyo.at("/config_schema/properties/api_key");
        assertTrue(klaviyoKey.get("writeOnly").asBoolean() && klaviyoKey.get("x-secret").asBoolean(), klaviyoKey.toString());
        assertFalse(klaviyo.at("/config_schema/properties/subscribe_members/default").asBoolean());
    }

    @Test
    void oneEntryAndUnknownSlug() {
        Api admin = tenantAdmin(newTenant("cat1"));
        Api.Response one = admin.get("/v1/admin/integration-catalog/sendgrid");
        assertEquals(200, one.status());
        assertEquals("sendgrid", one.json().get("slug").asText());
        Api.Response unknown = admin.get("/v1/admin/integration-catalog/mailchimp");
        assertEquals(404, unknown.status());
        assertEquals("application/problem+json", unknown.contentType());
        assertEquals(404, admin.post("/v1/admin/integration-catalog/mailchimp/install", Map.of("config", Map.of())).status());
    }

    @Test
    void needsAToken() {
        assertEquals(401, api().get("/v1/admin/integration-catalog").status());
    }

    @Test
    void pluginsAreListedForPlatformAdminsOnly() {
        Api.Response r = platformAdmin().get("/v1/admin/plugins");
        assertEquals(200, r.status());
        Map<String, JsonNode> byId = new HashMap<>();
        r.json().get("items").forEach(p -> byId.put(p.get("id").asText(), p));
        assertEquals("started", byId.get("sendgrid").get("state").asText());
        assertEquals("sendgrid", byId.get("sendgrid").get("connector").asText());
        assertEquals(403, tenantAdmin(newTenant("cat2")).get("/v1/admin/plugins").status());
    }
}
