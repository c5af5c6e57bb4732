package dev.junction.runtime.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A connector's config JSON Schema (draft 2020-12), checked against the meta-schema and our rules
 * when a plugin loads, then used to validate installation configs. Validation is done by the
 * networknt json-schema-validator, with format assertions on (so {@code "format": "uuid"} is
 * enforced).
 *
 * <h2>Our rules for config schemas</h2>
 * <ul>
 *   <li>The root is {@code "type": "object"} with {@code properties}.</li>
 *   <li>A secret field is a top-level string property with both {@code "writeOnly": true} and
 *       {@code "x-secret": true}; either one alone is refused, as is {@code x-secret} below the
 *       top level (the platform stores secrets per top-level field).</li>
 * </ul>
 */
public final class ConfigSchema {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Draft 2020-12 plus our annotation keyword {@code x-secret}, so it is known rather than warned about. */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getDraft202012())
            .keyword(new NonValidationKeyword("x-secret"))
            .build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(DIALECT,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER)
                    .build()));
    private static final Schema META_SCHEMA = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

    /** An invalid config field. */
    public record Violation(String pointer, String message) { }

    private final String json;
    private final JsonNode root;
    private final Schema schema;
    private final Set<String> secretFields;

    private ConfigSchema(String json, JsonNode root, Schema schema, Set<String> secretFields) {
        this.json = json;
        this.root = root;
        this.schema = schema;
        this.secretFields = secretFields;
    }

    /**
     * Parses and checks a config schema.
     *
     * @throws InvalidConfigSchemaException listing every problem found
     */
    public static ConfigSchema parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidConfigSchemaException(List.of("not valid JSON: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        for (Error e : META_SCHEMA.validate(root)) {
            problems.add("not a valid JSON Schema 2020-12 at " + location(e) + ": " + e.getMessage());
        }
        if (!root.isObject() || !"object".equals(root.path("type").asText()) || !root.path("properties").isObject()) {
            problems.add("the root must be {\"type\": \"object\", \"properties\": {...}}");
        }
        Set<String> secrets = new LinkedHashSet<>();
        root.path("properties").fields().forEachRemaining(f -> {
            JsonNode p = f.getValue();
            boolean writeOnly = p.path("writeOnly").asBoolean(false);
            boolean secret = p.path("x-secret").asBoolean(false);
            if (writeOnly != secret) {
                problems.add("property '" + f.getKey() + "' must have both \"writeOnly\": true and \"x-secret\": true, or neither");
            } else if (secret) {
                if (!"string".equals(p.path("type").asText())) {
                    problems.add("secret property '" + f.getKey() + "' must be of type string");
                }
                secrets.add(f.getKey());
            }
            findNestedSecrets(p, "/properties/" + f.getKey(), problems);
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigSchemaException(problems);
        }
        return new ConfigSchema(json, root, REGISTRY.getSchema(root), Set.copyOf(secrets));
    }

    private static void findNestedSecrets(JsonNode node, String path, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isObject()) {
                if (f.getValue().path("x-secret").asBoolean(false)) {
                    problems.add("x-secret at " + path + "/" + f.getKey() + ": only top-level properties can be secrets");
                }
                findNestedSecrets(f.getValue(), path + "/" + f.getKey(), problems);
            }
        }
    }

    /** The schema as the plugin wrote it. */
    public String json() {
        return json;
    }

    /** The schema as a tree (for API responses). */
    public JsonNode tree() {
        return root.deepCopy();
    }

    /** Top-level properties marked secret. */
    public Set<String> secretFields() {
        return secretFields;
    }

    /**
     * Validates a config (a JSON object) and returns one violation per problem, each with a JSON
     * Pointer to the field. Messages never contain the values of {@code secretValues}.
     */
    public List<Violation> validate(JsonNode config, Collection<String> secretValues) {
        List<Violation> out = new ArrayList<>();
        for (Error e : schema.validate(config)) {
            String pointer = location(e);
            if (("required".equals(e.getKeyword()) || "additionalProperties".equals(e.getKeyword())
                    || "dependentRequired".equals(e.getKeyword())) && e.getProperty() != null) {
                pointer = pointer + "/" + e.getProperty();
            }
            out.add(new Violation(pointer, mask(stripLocation(e.getMessage()), secretValues)));
        }
        return out;
    }

    /** {@code config} with the {@code default} of each absent top-level property filled in. */
    public ObjectNode withDefaults(ObjectNode config) {
        ObjectNode out = config.deepCopy();
        root.path("properties").fields().forEachRemaining(f -> {
            if (!out.has(f.getKey()) && f.getValue().has("default")) {
                out.set(f.getKey(), f.getValue().get("default").deepCopy());
            }
        });
        return out;
    }

    private static String location(Error e) {
        String s = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return s.equals("/") ? "" : s;
    }

    private static String stripLocation(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 && (message.startsWith("/") || message.startsWith("$") || colon == 0)
                ? message.substring(colon + 2) : message;
    }

    private static String mask(String message, Collection<String> secrets) {
        String out = message;
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    /** Describes every schema field, for tests and docs. */
    public Map<String, JsonNode> properties() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.path("properties").fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue()));
        return out;
    }
}
