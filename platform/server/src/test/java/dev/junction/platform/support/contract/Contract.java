package dev.junction.platform.support.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ui-contract/openapi.yaml}, loaded for validating exchanges. Schemas are validated by the
 * networknt json-schema-validator (the OpenAPI 3.1 dialect, JSON Schema 2020-12 with format
 * assertions), straight from their place in the document, so {@code $ref}s to
 * {@code schemas/*.json} resolve as in any other tool. Finding the operation, the documented
 * status and media type, required headers and the security scheme is done here: no maintained
 * Java library validated OpenAPI 3.1 on Java 17 when this was written (see ui-contract/README.md).
 */
public final class Contract {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private static Contract instance;

    private final Path file;
    private final JsonNode root;
    private final List<Operation> operations;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** One operation of the contract. {@code pointer} is its JSON Pointer in the document. */
    public record Operation(String method, String template, Pattern pattern, List<String> names, String pointer, JsonNode node) {
        int literalLength() {
            return template.replaceAll("\\{[^}]+}", "").length();
        }
    }

    /** An operation found for a request, with its path parameter values. */
    public record Match(Operation operation, Map<String, String> pathParameters) { }

    private Contract(Path file) {
        this.file = file.toAbsolutePath().normalize();
        try {
            this.root = YAML.readTree(this.file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + this.file, e);
        }
        // Local files only: the contract and schemas/*.json (meta-schemas come with the library).
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                b -> b.schemaLoader(l -> l.fetchRemoteResources().allow(iri -> iri.toString().startsWith("file:")
                                || iri.toString().startsWith("classpath:")
                                || iri.toString().startsWith("https://json-schema.org/")
                                || iri.toString().startsWith("https://spec.openapis.org/")))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_POINTER)
                        .build()));
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            StringBuilder regex = new StringBuilder("^");
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(path.getKey().substring(last, m.start()))).append("([^/]+)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(path.getKey().substring(last))).append('$');
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (METHODS.contains(method)) {
                    ops.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), Pattern.compile(regex.toString()),
                            List.copyOf(names), "/paths/" + escape(path.getKey()) + "/" + method, path.getValue().get(method)));
                }
            }
        }
        this.operations = List.copyOf(ops);
    }

    /** The contract of this checkout: {@code junction.contract-dir} (set by the build), else {@code ../../ui-contract}. */
    public static synchronized Contract get() {
        if (instance == null) {
            instance = new Contract(dir().resolve("openapi.yaml"));
        }
        return instance;
    }

    public static Path dir() {
        return Path.of(System.getProperty("junction.contract-dir", "../../ui-contract"));
    }

    public List<Operation> operations() {
        return operations;
    }

    public JsonNode root() {
        return root;
    }

    /** The operation for a method and raw path; literal segments win over templates ({@code /events/stream} over {@code /events/{id}}). */
    public java.util.Optional<Match> find(String method, String rawPath) {
        return operations.stream()
                .filter(o -> o.method().equals(method))
                .sorted(Comparator.comparingInt(Operation::literalLength).reversed())
                .map(o -> {
                    Matcher m = o.pattern().matcher(rawPath);
                    if (!m.matches()) {
                        return null;
                    }
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 0; i < o.names().size(); i++) {
                        values.put(o.names().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                    }
                    return new Match(o, values);
                })
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** Whether some operation (of any method) has this path. */
    public boolean hasPath(String rawPath) {
        return operations.stream().anyMatch(o -> o.pattern().matcher(rawPath).matches());
    }

    /** Follows a local {@code $ref} ({@code #/components/...}); returns the node and its pointer. */
    public Located resolve(JsonNode node, String pointer) {
        JsonNode n = node;
        String p = pointer;
        for (int i = 0; i < 10 && n != null && n.has("$ref") && n.get("$ref").asText().startsWith("#/"); i++) {
            p = n.get("$ref").asText().substring(1);
            n = root.at(p);
        }
        return new Located(n, p);
    }

    /** A node of the document with its JSON Pointer. */
    public record Located(JsonNode node, String pointer) {
        public Located child(String name) {
            return new Located(node == null ? null : node.get(name), pointer + "/" + escape(name));
        }
    }

    /** Validates an instance against the schema at {@code pointer} of the document. */
    public List<Error> validate(String pointer, JsonNode instance) {
        Schema schema = schemas.computeIfAbsent(pointer,
                p -> registry.getSchema(SchemaLocation.of(file.toUri() + "#" + p)));
        return schema.validate(instance);
    }

    /** Validates a JSON document against one of {@code ui-contract/schemas/*.json}. */
    public List<Error> validateAgainstSchemaFile(String fileName, JsonNode instance) {
        Path schemaFile = file.getParent().resolve("schemas").resolve(fileName);
        Schema schema = schemas.computeIfAbsent("file:" + fileName,
                p -> registry.getSchema(SchemaLocation.of(schemaFile.toUri().toString())));
        return schema.validate(instance);
    }

    static JsonNode parse(byte[] body) throws IOException {
        return JSON.readTree(body);
    }

    /** A parameter's text as the JSON value its schema expects (numbers and booleans are not strings). */
    static JsonNode parameterValue(String text, JsonNode schema) {
        String type = schema == null ? "string" : schema.path("type").asText("string");
        try {
            if (type.equals("integer") || type.equals("number") || type.equals("boolean")) {
                return JSON.readTree(text);
            }
        } catch (IOException notANumber) {
            // fall through: validated as the string it is, and refused by the schema's type
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validator's own format of an error: where, and what. */
    static String message(Error e) {
        String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return (at.isEmpty() || at.equals("/") ? "(root)" : at) + ": " + e.getMessage();
    }

    @SuppressWarnings("unused")
    private static InputFormat format(String name) {
        return name.endsWith(".json") ? InputFormat.JSON : InputFormat.YAML;
    }
}
