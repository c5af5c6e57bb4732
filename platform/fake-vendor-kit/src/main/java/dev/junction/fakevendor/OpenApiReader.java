package dev.junction.fakevendor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Reads the operations of one OpenAPI document: for each path and method, the parameters (path-level and
 * operation-level, {@code $ref}s resolved), the request body's media types and the responses, each schema
 * given as a location (document IRI plus JSON pointer) that a {@link SchemaCache} can validate against.
 */
public final class OpenApiReader {
    private static final List<String> METHODS = List.of("get", "put", "post", "patch", "delete");

    /**
     * A parameter.
     *
     * @param name its name
     * @param in {@code path}, {@code query} or {@code header}
     * @param required whether it must be present (path parameters always)
     * @param schema its schema node (missing when it has none)
     * @param location its schema's location
     */
    public record Param(String name, String in, boolean required, JsonNode schema, String location) {
    }

    /**
     * One operation.
     *
     * @param file the document's file name
     * @param method the upper-case method
     * @param template the path template, with the servers' base path in front
     * @param node the operation's node (for vendor extensions such as {@code x-klaviyo-scopes})
     * @param params the parameters, operation-level ones replacing path-level ones of the same name
     * @param bodyRequired whether the request body is required
     * @param mediaTypes the request body's media types, in document order
     * @param bodySchemas the request body's schema locations by media type (only those with a schema)
     * @param responses the response schema locations by status ({@code 200}, {@code 4XX}, {@code default}) and
     *     media type (only those with a schema)
     */
    public record Operation(String file, String method, String template, JsonNode node, List<Param> params,
            boolean bodyRequired, List<String> mediaTypes, Map<String, String> bodySchemas,
            Map<String, Map<String, String>> responses) {
        /** @return the spec's operationId, or null */
        public String operationId() {
            return node.path("operationId").asText(null);
        }
    }

    private OpenApiReader() {
    }

    /**
     * The operations of a document.
     *
     * @param doc the parsed document
     * @param file the document's file name (passed to {@code locator})
     * @param basePath put in front of every path (the servers' base path, or empty)
     * @param includePath which of the document's paths to read
     * @param locator the location of a schema from the file name and a JSON pointer into the document
     * @return the operations in document order
     */
    public static List<Operation> read(JsonNode doc, String file, String basePath, Predicate<String> includePath,
            BiFunction<String, String, String> locator) {
        List<Operation> out = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(entry -> {
            String pathKey = entry.getKey();
            if (!includePath.test(pathKey)) {
                return;
            }
            JsonNode item = entry.getValue();
            String pathPointer = "/paths/" + escape(pathKey);
            item.fields().forEachRemaining(m -> {
                String method = m.getKey();
                if (!METHODS.contains(method)) {
                    return;
                }
                JsonNode op = m.getValue();
                String opPointer = pathPointer + "/" + method;
                Map<String, Param> params = new LinkedHashMap<>();
                collectParams(doc, file, item.path("parameters"), pathPointer + "/parameters", locator, params);
                collectParams(doc, file, op.path("parameters"), opPointer + "/parameters", locator, params);
                JsonNode body = op.path("requestBody");
                String bodyPointer = opPointer + "/requestBody";
                if (body.has("$ref")) {
                    bodyPointer = body.get("$ref").asText().substring(1);
                    body = doc.at(bodyPointer);
                }
                List<String> mediaTypes = new ArrayList<>();
                body.path("content").fieldNames().forEachRemaining(mediaTypes::add);
                Map<String, Map<String, String>> responses = new LinkedHashMap<>();
                op.path("responses").fields().forEachRemaining(r -> {
                    JsonNode response = r.getValue();
                    String pointer = opPointer + "/responses/" + escape(r.getKey());
                    if (response.has("$ref")) {
                        pointer = response.get("$ref").asText().substring(1);
                        response = doc.at(pointer);
                    }
                    Map<String, String> schemas = schemas(response, pointer, file, locator);
                    if (!schemas.isEmpty()) {
                        responses.put(r.getKey(), schemas);
                    }
                });
                out.add(new Operation(file, method.toUpperCase(Locale.ROOT), basePath + pathKey, op,
                        List.copyOf(params.values()), body.path("required").asBoolean(false), List.copyOf(mediaTypes),
                        schemas(body, bodyPointer, file, locator), Map.copyOf(responses)));
            });
        });
        return out;
    }

    /** The schema locations of a body or response's content, by media type, for the media types with a schema. */
    private static Map<String, String> schemas(JsonNode bodyOrResponse, String pointer, String file,
            BiFunction<String, String, String> locator) {
        Map<String, String> out = new LinkedHashMap<>();
        bodyOrResponse.path("content").fields().forEachRemaining(c -> {
            if (c.getValue().has("schema")) {
                out.put(c.getKey(), locator.apply(file, pointer + "/content/" + escape(c.getKey()) + "/schema"));
            }
        });
        return out;
    }

    private static void collectParams(JsonNode doc, String file, JsonNode list, String pointer,
            BiFunction<String, String, String> locator, Map<String, Param> out) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String paramPointer = pointer + "/" + i;
            if (p.has("$ref")) {
                paramPointer = p.get("$ref").asText().substring(1);
                p = doc.at(paramPointer);
            }
            String name = p.path("name").asText();
            String in = p.path("in").asText();
            out.put(in + ":" + name, new Param(name, in, p.path("required").asBoolean(false) || "path".equals(in),
                    p.path("schema"), locator.apply(file, paramPointer + "/schema")));
        }
    }

    /**
     * A JSON pointer token: {@code ~} and {@code /} escaped.
     *
     * @param token the raw token, e.g. a path {@code /v3/lists/{id}}
     * @return the escaped token
     */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
