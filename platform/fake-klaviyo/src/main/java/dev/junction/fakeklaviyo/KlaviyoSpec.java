package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import dev.junction.fakevendor.OpenApiReader;
import dev.junction.fakevendor.OperationIndex;
import dev.junction.fakevendor.PathTemplate;
import dev.junction.fakevendor.SchemaCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Klaviyo's OpenAPI 3.0 files (revision 2026-07-15), read from a directory at run time: every operation
 * with its parameters, request body schema, response schemas, scopes ({@code x-klaviyo-scopes}), rate
 * limits ({@code x-klaviyo-ratelimit}) and filters ({@code x-klaviyo-filters}). Schemas are evaluated by
 * networknt json-schema-validator with its OpenAPI 3.0 dialect (which knows {@code nullable}).
 */
final class KlaviyoSpec {
    /** The revision the files describe and the fake serves. */
    static final String REVISION = "2026-07-15";
    static final List<String> FILES = List.of("accounts", "lists", "profiles", "events", "segments", "webhooks",
            "metrics");
    /** System property naming the directory of the OpenAPI files. */
    static final String DIR_PROPERTY = "fakeklaviyo.openapi.dir";
    static final String RESOURCE_DIR = "dev/junction/fakeklaviyo/openapi/";
    private static final String IRI_BASE = "https://fake-klaviyo.junction.invalid/openapi/";

    /** Published limits per window; 0 when the spec states none. */
    record Limits(int burst, int steady, int daily) {}

    /** One operation of the spec. */
    static final class Operation {
        final String file;
        final String method;
        final String template;
        final String operationId;
        final List<OpenApiReader.Param> params;
        final String bodyLocation;
        final boolean bodyRequired;
        final List<String> mediaTypes;
        final List<String> scopes;
        final Limits limits;
        final JsonNode filters;
        final Map<String, String> responseLocations;
        final PathTemplate path;

        Operation(OpenApiReader.Operation doc) {
            this.file = doc.file();
            this.method = doc.method();
            this.template = doc.template();
            this.operationId = doc.operationId();
            this.params = doc.params();
            this.bodyLocation = doc.mediaTypes().isEmpty() ? null : doc.bodySchemas().get(doc.mediaTypes().get(0));
            this.bodyRequired = doc.bodyRequired();
            this.mediaTypes = doc.mediaTypes();
            Map<String, String> responses = new LinkedHashMap<>();
            doc.responses().forEach((status, schemas) -> responses.put(status, schemas.values().iterator().next()));
            this.responseLocations = Map.copyOf(responses);
            JsonNode op = doc.node();
            List<String> scopeList = new ArrayList<>();
            op.path("x-klaviyo-scopes").forEach(s -> scopeList.add(s.asText()));
            this.scopes = List.copyOf(scopeList);
            JsonNode rl = op.path("x-klaviyo-ratelimit");
            this.limits = new Limits(rate(rl.path("burst")), rate(rl.path("steady")), rate(rl.path("daily")));
            this.filters = op.path("x-klaviyo-filters");
            this.path = new PathTemplate(template);
        }

        Optional<OpenApiReader.Param> param(String in, String name) {
            // Query names are exact (page[size], not PAGE[SIZE]); header names are case-insensitive.
            return params.stream().filter(p -> p.in().equals(in)
                    && (in.equals("header") ? p.name().equalsIgnoreCase(name) : p.name().equals(name))).findFirst();
        }

        /** "10/s" → 10; absent → 0. */
        private static int rate(JsonNode node) {
            if (!node.isTextual()) {
                return 0;
            }
            return Integer.parseInt(node.asText().split("/")[0].trim());
        }
    }

    /** A matched operation and the decoded values of its path parameters. */
    record Match(Operation operation, Map<String, String> pathParams) {}

    private final Path dir;
    private final SchemaCache schemas;
    private final OperationIndex<Operation> operations;

    KlaviyoSpec(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        List<Operation> ops = new ArrayList<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (String file : FILES) {
            texts.put(IRI_BASE + file + ".json", load(file + ".json", ops));
        }
        // The documents are handed to the validator under a fixed IRI: it does not read file: IRIs by default.
        this.schemas = new SchemaCache(SchemaRegistry.withDialect(Dialects.getOpenApi30(), builder -> builder
                .schemas(texts)
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())));
        this.operations = new OperationIndex<>(ops, o -> o.method, o -> o.path);
    }

    /**
     * Where the files are when nobody says: the system property {@value #DIR_PROPERTY}, the environment variable
     * {@code FAKE_KLAVIYO_OPENAPI_DIR}, else the copies bundled in this module (see {@code BundledSpec}), so a clone
     * of the repository alone is enough.
     */
    static Path defaultDir() {
        String configured = System.getProperty(DIR_PROPERTY, System.getenv("FAKE_KLAVIYO_OPENAPI_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return BundledSpec.DIR;
    }

    /**
     * The copies of the official files this module bundles (src/main/resources, with SOURCE.md and
     * the MIT LICENSE), as a directory: the classes' own when they run from one, else extracted
     * once from the jar into a temporary directory.
     */
    private static final class BundledSpec {
        static final Path DIR = locate();

        private static Path locate() {
            ClassLoader loader = KlaviyoSpec.class.getClassLoader();
            try {
                java.net.URL first = loader.getResource(RESOURCE_DIR + FILES.get(0) + ".json");
                if (first == null) {
                    throw new IllegalStateException("the bundled Klaviyo OpenAPI files are missing from the classpath ("
                            + RESOURCE_DIR + "); set -D" + DIR_PROPERTY + "=<dir with accounts.json, lists.json, ...>");
                }
                if ("file".equals(first.getProtocol())) {
                    return Path.of(first.toURI()).getParent();
                }
                Path dir = Files.createTempDirectory("fake-klaviyo-openapi-");
                dir.toFile().deleteOnExit();
                for (String file : FILES) {
                    try (java.io.InputStream in = loader.getResourceAsStream(RESOURCE_DIR + file + ".json")) {
                        Path target = dir.resolve(file + ".json");
                        Files.copy(java.util.Objects.requireNonNull(in, file), target);
                        target.toFile().deleteOnExit();
                    }
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the bundled Klaviyo OpenAPI files", e);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    Path dir() {
        return dir;
    }

    List<Operation> operations() {
        return operations.all();
    }

    private String load(String file, List<Operation> out) {
        JsonNode doc;
        String text;
        try {
            text = Files.readString(dir.resolve(file));
            doc = JsonApi.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(file), e);
        }
        for (OpenApiReader.Operation op : OpenApiReader.read(doc, file, "", path -> true, KlaviyoSpec::location)) {
            out.add(new Operation(op));
        }
        return text;
    }

    private static String location(String file, String pointer) {
        return IRI_BASE + file + "#" + pointer.replace("{", "%7B").replace("}", "%7D")
                .replace("[", "%5B").replace("]", "%5D");
    }

    /** Finds the operation for a request, if the spec has one. */
    Optional<Match> match(String method, String path) {
        return operations.match(method, path, v -> java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8))
                .map(m -> new Match(m.operation(), m.pathParams()));
    }

    /** True when some operation has this path (with any method). */
    boolean knowsPath(String path) {
        return operations.knowsPath(path);
    }

    /** The operation with this operationId. */
    Operation operation(String operationId) {
        return operations.all().stream().filter(o -> o.operationId.equals(operationId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operation " + operationId));
    }

    /** Validates a JSON text against the schema at this location; the messages (empty when valid). */
    List<String> validate(String location, String json) {
        List<String> problems = new ArrayList<>();
        for (com.networknt.schema.Error e : schemas.errors(location, json)) {
            problems.add(e.toString());
        }
        return problems;
    }

    /**
     * Validates a response body against the operation's schema for that status (exact code, else {@code 4XX}
     * style ranges); a status the spec gives no body for must come without one.
     */
    List<String> validateResponse(Operation op, int status, String body) {
        String location = op.responseLocations.get(String.valueOf(status));
        if (location == null) {
            location = op.responseLocations.get((status / 100) + "XX");
        }
        if (location == null) {
            return body == null || body.isEmpty() ? List.of()
                    : List.of(op.operationId + " documents no body for " + status);
        }
        return validate(location, body == null ? "" : body);
    }
}
