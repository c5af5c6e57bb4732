package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.junction.fakevendor.OpenApiReader;
import dev.junction.fakevendor.OperationIndex;
import dev.junction.fakevendor.PathTemplate;
import dev.junction.fakevendor.QueryStrings;
import dev.junction.fakevendor.SchemaCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Validates requests against SendGrid's OpenAPI 3.1 documents copied into this jar.
 *
 * <p>The operations come from the per-domain files of twilio/sendgrid-oai (contacts, lists, custom
 * fields, scopes) and, for segments only, from the combined {@code oai_v3_stoplight.json}. Schemas are
 * evaluated by networknt json-schema-validator with its OpenAPI 3.1 dialect, format assertions on.
 * Checked: that an operation exists for method and path, path and query parameters (presence, type,
 * constraints), and the JSON request body; {@link #validateResponse} checks answers (used by the tests).
 */
final class SpecValidator {
    static final String RESOURCE_DIR = "dev/junction/fakesendgrid/openapi/";

    private record Source(String file, Predicate<String> includePath) {}

    private static final List<Source> SOURCES = List.of(
            new Source("tsg_mc_contacts_v3.json", p -> true),
            new Source("tsg_mc_lists_v3.json", p -> true),
            new Source("tsg_mc_custom_fields_v3.json", p -> true),
            new Source("tsg_scopes_v3.json", p -> true),
            new Source("oai_v3_stoplight.json", p -> p.startsWith("/marketing/segments")));

    /** A parameter of an operation. */
    private record Param(String name, String in, boolean required, String type, String schemaLocation) {}

    /** One operation of the spec. */
    static final class Operation {
        final String file;
        final String method;
        final String template;
        final String operationId;
        final PathTemplate path;
        private final List<Param> params;
        private final String bodyLocation;
        private final boolean bodyRequired;
        private final List<String> mediaTypes;
        /** Status code ("200", "default") to the location of its application/json response schema. */
        final Map<String, String> responseLocations = new LinkedHashMap<>();

        Operation(OpenApiReader.Operation doc) {
            this.file = doc.file();
            this.method = doc.method();
            this.template = doc.template();
            this.operationId = doc.operationId();
            this.path = new PathTemplate(template);
            this.params = doc.params().stream().map(p -> new Param(p.name(), p.in(), p.required(),
                    p.schema().path("type").asText("string"), p.schema().isObject() ? p.location() : null)).toList();
            this.bodyLocation = doc.bodySchemas().get(JSON);
            this.bodyRequired = doc.bodyRequired();
            this.mediaTypes = doc.mediaTypes();
            doc.responses().forEach((status, schemas) -> {
                if (schemas.containsKey(JSON)) {
                    responseLocations.put(status, schemas.get(JSON));
                }
            });
        }

        /** The spec's operationId, e.g. {@code UpdateContact}. */
        String operationId() {
            return operationId;
        }
    }

    private static final String JSON = "application/json";

    private final SchemaCache schemas;
    private final OperationIndex<Operation> operations;

    SpecValidator() {
        // The 3.1 documents still mark nullable properties with OpenAPI 3.0's "nullable: true" (the errors'
        // "field", for one); registering the keyword makes the validator honour it as the documents intend.
        Dialect dialect = Dialect.builder(Dialects.getOpenApi31()).keyword(new NonValidationKeyword("nullable")).build();
        this.schemas = new SchemaCache(SchemaRegistry.withDialect(dialect,
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())));
        List<Operation> ops = new ArrayList<>();
        for (Source source : SOURCES) {
            load(source, ops);
        }
        this.operations = new OperationIndex<>(ops, o -> o.method, o -> o.path);
    }

    List<Operation> operations() {
        return operations.all();
    }

    private static void load(Source source, List<Operation> out) {
        JsonNode doc;
        try (InputStream in = SpecValidator.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + source.file())) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE_DIR + source.file());
            }
            doc = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "";
        JsonNode servers = doc.path("servers");
        if (servers.isArray() && servers.size() > 0) {
            String path = URI.create(servers.get(0).path("url").asText()).getPath();
            prefix = path == null || path.equals("/") ? "" : path;
        }
        for (OpenApiReader.Operation op : OpenApiReader.read(doc, source.file(), prefix, source.includePath(),
                SpecValidator::location)) {
            out.add(new Operation(op));
        }
    }

    private static String location(String file, String pointer) {
        return "classpath:" + RESOURCE_DIR + file + "#" + pointer.replace("{", "%7B").replace("}", "%7D");
    }

    /** A matched operation and the values of its path parameters. */
    record Match(Operation operation, Map<String, String> pathParams) {}

    /** Finds the spec operation for a request, if the spec has one. */
    Optional<Match> match(String method, String path) {
        return operations.match(method, path, QueryStrings::decodePath).map(m -> new Match(m.operation(), m.pathParams()));
    }

    /** True when some operation of the spec has this path (with any method). */
    boolean knowsPath(String path) {
        return operations.knowsPath(path);
    }

    /**
     * Validates one request against its operation; returns the problems found (empty when valid).
     *
     * @param body the raw body (may be empty)
     * @param bodyText the body as UTF-8 text, or null when the body is empty
     * @param parsed the body parsed as JSON, or null when empty or not JSON
     */
    List<String> validate(Match match, Map<String, List<String>> query, Map<String, List<String>> headers,
            String contentType, byte[] body, String bodyText, JsonNode parsed) {
        Operation op = match.operation();
        List<String> problems = new ArrayList<>();
        for (Param p : op.params) {
            String value = switch (p.in()) {
                case "path" -> match.pathParams().get(p.name());
                case "query" -> QueryStrings.first(query.get(p.name()));
                case "header" -> QueryStrings.first(headers.get(p.name().toLowerCase(Locale.ROOT)));
                default -> null;
            };
            String where = p.in() + " parameter '" + p.name() + "'";
            if (value == null) {
                if (p.required()) {
                    problems.add(where + " is required");
                }
                continue;
            }
            if (p.schemaLocation() == null) {
                continue;
            }
            String literal = literal(p.type(), value);
            if (literal == null) {
                problems.add(where + ": '" + value + "' is not a valid " + p.type());
                continue;
            }
            for (com.networknt.schema.Error e : schemas.errors(p.schemaLocation(), literal)) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        boolean hasBody = body.length > 0;
        if (!hasBody) {
            if (op.bodyRequired) {
                problems.add("request body is required");
            }
            return problems;
        }
        if (op.mediaTypes.isEmpty()) {
            problems.add("operation " + op.operationId + " takes no request body, but one was sent");
            return problems;
        }
        String mediaType = contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType == null || !op.mediaTypes.contains(mediaType)) {
            problems.add("Content-Type '" + contentType + "' is not one of " + op.mediaTypes);
            return problems;
        }
        if (op.bodyLocation == null) {
            return problems;
        }
        if (parsed == null) {
            problems.add("request body is not valid JSON");
            return problems;
        }
        for (com.networknt.schema.Error e : schemas.errors(op.bodyLocation, bodyText)) {
            problems.add("body " + e);
        }
        return problems;
    }

    /**
     * Validates a JSON answer against the operation's response schema for its status (or {@code default});
     * returns the problems found, or one problem when the spec defines no JSON answer for that status.
     */
    List<String> validateResponse(Operation op, int status, String bodyText) {
        String location = op.responseLocations.getOrDefault(String.valueOf(status), op.responseLocations.get("default"));
        if (location == null) {
            return List.of(op.operationId + " defines no JSON response for status " + status);
        }
        List<String> problems = new ArrayList<>();
        for (com.networknt.schema.Error e : schemas.errors(location, bodyText)) {
            problems.add("response " + status + " " + e);
        }
        return problems;
    }

    /** The query or path value as a JSON literal of the schema's type, or null when it cannot be one. */
    private static String literal(String type, String value) {
        switch (type) {
            case "number":
            case "integer":
                try {
                    BigDecimal number = new BigDecimal(value.trim());
                    return number.toString();
                } catch (NumberFormatException e) {
                    return null;
                }
            case "boolean":
                return value.equals("true") || value.equals("false") ? value : null;
            default:
                return Json.string(value);
        }
    }
}
