package dev.junction.platform.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.platform.support.SseClient;
import dev.junction.platform.support.Tokens;
import dev.junction.platform.support.contract.Contract;
import dev.junction.runtime.schema.ConfigSchema;
import dev.junction.runtime.schema.InvalidConfigSchemaException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ui-contract/schemas/*.json against what the server really sends, and the config schema rules against the platform's. */
@MicronautTest(transactional = false)
class ContractSchemasTest extends ApiTestBase {

    private static final Contract CONTRACT = Contract.get();
    private static final com.networknt.schema.Schema META_SCHEMA = SchemaRegistry
            .withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

    private static List<Error> configRules(JsonNode schema) {
        return CONTRACT.validateAgainstSchemaFile("config-schema.json", schema);
    }

    @Test
    void catalogEntriesAndTheirConfigSchemasFollowTheSchemas() {
        JsonNode catalog = tenantAdmin(newTenant("schemas")).get("/v1/admin/integration-catalog").json();
        assertTrue(catalog.get("items").size() >= 3, catalog.toString());
        for (JsonNode entry : catalog.get("items")) {
            assertEquals(List.of(), CONTRACT.validateAgainstSchemaFile("catalog-entry.json", entry), entry.get("slug").asText());
            JsonNode config = entry.get("config_schema");
            if (!config.isEmpty()) {
                assertEquals(List.of(), configRules(config), entry.get("slug") + " config_schema");
                assertEquals(List.of(), META_SCHEMA.validate(config), entry.get("slug") + " is JSON Schema 2020-12");
            }
        }
        JsonNode sendgrid = catalog.get("items").findParents("slug").stream()
                .filter(e -> e.get("slug").asText().equals("sendgrid")).findFirst().orElseThrow();
        assertTrue(sendgrid.at("/config_schema/properties/api_key/x-secret").asBoolean());
        ObjectNode broken = sendgrid.deepCopy();
        broken.remove("plugin");
        broken.put("status", "gone");
        String errors = CONTRACT.validateAgainstSchemaFile("catalog-entry.json", broken).toString();
        assertTrue(errors.contains("plugin") && errors.contains("/status"), errors);
    }

    /** The JSON Schema rules and ConfigSchema (what the platform enforces when a plugin loads) agree, case by case. */
    @Test
    void theConfigSchemaRulesRefuseWhatThePlatformRefuses() throws Exception {
        String[] refused = {
                "{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\",\"writeOnly\":true}}}",
                "{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\",\"x-secret\":true}}}",
                "{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"integer\",\"writeOnly\":true,\"x-secret\":true}}}",
                "{\"type\":\"object\",\"properties\":{\"o\":{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\",\"writeOnly\":true,\"x-secret\":true}}}}}",
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"x-secret\":true}}}}",
                "{\"type\":\"array\",\"properties\":{}}",
                "{\"type\":\"object\"}",
        };
        for (String schema : refused) {
            assertThrows(InvalidConfigSchemaException.class, () -> ConfigSchema.parse(schema), schema);
            assertFalse(configRules(Api.JSON.readTree(schema)).isEmpty(), "config-schema.json accepts " + schema);
        }
        String accepted = "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\",\"writeOnly\":true,\"x-secret\":true},"
                + "\"region\":{\"type\":\"string\",\"enum\":[\"eu\",\"us\"]},\"n\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}}}";
        ConfigSchema.parse(accepted);
        assertEquals(List.of(), configRules(Api.JSON.readTree(accepted)));
    }

    @Test
    void liveEventMessagesFollowTheSchema() {
        String t = newTenant("sse-schema");
        Api.Response installed = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("config", Map.of("api_key", "SG.schema")));
        String path = URI.create(installed.json().get("webhook_url").asText()).getPath();
        try (SseClient client = new SseClient(server.getURI().resolve("/v1/admin/events/stream"), Tokens.viewer(t), null)
                .awaitConnected()) {
            assertEquals(200, api().send("POST", path, "application/json", SendGridWebhookData.sampleEvents()).status());
            List<SseClient.Message> got = client.take(3, Duration.ofSeconds(10));
            assertEquals(3, got.size());
            for (SseClient.Message m : got) {
                // SseClient checks every message already; this says it once more, explicitly
                assertEquals(List.of(), CONTRACT.validateAgainstSchemaFile("live-event.json", m.data()), m.data().toString());
                ObjectNode broken = (ObjectNode) m.data().deepCopy();
                broken.remove("payload");
                broken.put("direction", "sideways");
                String errors = CONTRACT.validateAgainstSchemaFile("live-event.json", broken).toString();
                assertTrue(errors.contains("payload") && errors.contains("/direction"), errors);
            }
        }
    }
}
