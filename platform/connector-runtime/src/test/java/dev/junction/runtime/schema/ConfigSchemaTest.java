package dev.junction.runtime.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSchemaTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SCHEMA = """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","additionalProperties":false,
             "required":["api_key"],
             "properties":{
               "api_key":{"type":"string","minLength":3,"pattern":"^SG\\\\.","writeOnly":true,"x-secret":true},
               "default_list_id":{"type":"string","format":"uuid"},
               "region":{"type":"string","enum":["global","eu"],"default":"global"}}}""";

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) M.readTree(s);
    }

    @Test
    void validConfigPasses() throws Exception {
        ConfigSchema s = ConfigSchema.parse(SCHEMA);
        assertEquals(Set.of("api_key"), s.secretFields());
        assertTrue(s.validate(json("{\"api_key\":\"SG.x\",\"default_list_id\":\"6b3c1b6e-3d3f-4d1c-9a8f-0a4f6b2f7d11\"}"), List.of()).isEmpty());
        assertEquals("global", s.withDefaults(json("{\"api_key\":\"SG.x\"}")).get("region").asText());
    }

    @Test
    void violationsPointAtTheirFields() throws Exception {
        ConfigSchema s = ConfigSchema.parse(SCHEMA);
        List<ConfigSchema.Violation> v = s.validate(json("{\"default_list_id\":\"not-a-uuid\",\"region\":\"mars\",\"extra\":1}"), List.of());
        List<String> pointers = v.stream().map(ConfigSchema.Violation::pointer).sorted().toList();
        assertEquals(List.of("/api_key", "/default_list_id", "/extra", "/region"), pointers, v.toString());
    }

    @Test
    void secretValuesNeverAppearInMessages() throws Exception {
        ConfigSchema s = ConfigSchema.parse(SCHEMA);
        String secret = "XX-not-starting-with-SG";
        List<ConfigSchema.Violation> v = s.validate(json("{\"api_key\":\"" + secret + "\"}"), List.of(secret));
        assertEquals(1, v.size());
        assertEquals("/api_key", v.get(0).pointer());
        assertFalse(v.get(0).message().contains(secret), v.get(0).message());
    }

    @Test
    void badSchemasAreRefusedWithReasons() {
        assertThrows(InvalidConfigSchemaException.class, () -> ConfigSchema.parse("{not json"));
        assertThrows(InvalidConfigSchemaException.class, () -> ConfigSchema.parse("{\"type\":\"array\",\"properties\":{}}"));
        assertThrows(InvalidConfigSchemaException.class, () -> ConfigSchema.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":7}}}"));
        InvalidConfigSchemaException half = assertThrows(InvalidConfigSchemaException.class, () -> ConfigSchema.parse(
                "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"string\",\"writeOnly\":true}}}"));
        assertTrue(half.getMessage().contains("'key'"), half.getMessage());
        assertThrows(InvalidConfigSchemaException.class, () -> ConfigSchema.parse(
                "{\"type\":\"object\",\"properties\":{\"key\":{\"type\":\"integer\",\"writeOnly\":true,\"x-secret\":true}}}"));
        assertThrows(InvalidConfigSchemaException.class, () -> ConfigSchema.parse(
                "{\"type\":\"object\",\"properties\":{\"o\":{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"string\",\"writeOnly\":true,\"x-secret\":true}}}}}"));
    }
}
