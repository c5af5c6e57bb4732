package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private final Pattern regex;
    private final List<String> pathParamNames;
    private final List<Param> params;
    private final String bodyLocation;
    private final boolean bodyRequired;
    private final List<String> mediaTypes;
    private final int literalSegments;
    private volatile Schema bodySchema;
    private final Map<String, Schema> paramSchemas = new java.util.concurrent.ConcurrentHashMap<>();
    /** Status code ("200", "default") to the location of its application/json response schema. */
    final Map<String, String> responseLocations = new LinkedHashMap<>();

    Operation(String file, String method, String template, String operationId, List<Param> params,
        String bodyLocation, boolean bodyRequired, List<String> mediaTypes) {
      this.file = file;
      this.method = method;
      this.template = template;
      this.operationId = operationId;
      this.params = params;
      this.bodyLocation = bodyLocation;
      this.bodyRequired = bodyRequired;
      this.mediaTypes = mediaTypes;
      StringBuilder re = new StringBuilder();
      List<String> names = new ArrayList<>();
      int literals = 0;
      for (String segment : template.substring(1).split("/", -1)) {
        re.append('/');
        if (segment.startsWith("{") && segment.endsWith("}")) {
          names.add(segment.substring(1, segment.length() - 1));
          re.append("([^/]+)");
        } else {
          literals++;
          re.append(Pattern.quote(segment));
        }
      }
      this.regex = Pattern.compile(re.toString());
      this.pathParamNames = names;
      this.literalSegments = literals;
    }

    /** The spec's operationId, e.g. {@code UpdateContact}. */
    String operationId() {
      return operationId;
    }
  }

  private final SchemaRegistry registry;
  private final List<Operation> operations;

  SpecValidator() {
    // The 3.1 documents still mark nullable properties with OpenAPI 3.0's "nullable: true" (the errors'
    // "field", for one); registering the keyword makes the validator honour it as the documents intend.
    Dialect dialect = Dialect.builder(Dialects.getOpenApi31()).keyword(new NonValidationKeyword("nullable")).build();
    this.registry = SchemaRegistry.withDialect(dialect,
        builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    List<Operation> ops = new ArrayList<>();
    for (Source source : SOURCES) {
      load(source, ops);
    }
    // Literal segments win over templates: /contacts/count before /contacts/{id}.
    ops.sort(Comparator.comparingInt((Operation o) -> -o.literalSegments).thenComparing(o -> o.template));
    this.operations = List.copyOf(ops);
  }

  List<Operation> operations() {
    return operations;
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
    Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> entry = paths.next();
      String pathKey = entry.getKey();
      if (!source.includePath().test(pathKey)) {
        continue;
      }
      JsonNode item = entry.getValue();
      String pathPointer = "/paths/" + escape(pathKey);
      Iterator<Map.Entry<String, JsonNode>> methods = item.fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> m = methods.next();
        String method = m.getKey();
        if (!List.of("get", "put", "post", "patch", "delete").contains(method)) {
          continue;
        }
        JsonNode op = m.getValue();
        Map<String, Param> params = new LinkedHashMap<>();
        collectParams(doc, item.path("parameters"), pathPointer + "/parameters", source.file(), params);
        collectParams(doc, op.path("parameters"), pathPointer + "/" + method + "/parameters", source.file(), params);
        String bodyLocation = null;
        boolean bodyRequired = false;
        List<String> mediaTypes = List.of();
        JsonNode body = op.path("requestBody");
        String bodyPointer = pathPointer + "/" + method + "/requestBody";
        if (body.has("$ref")) {
          bodyPointer = body.get("$ref").asText().substring(1);
          body = resolve(doc, body);
        }
        if (body.isObject()) {
          bodyRequired = body.path("required").asBoolean(false);
          List<String> types = new ArrayList<>();
          body.path("content").fieldNames().forEachRemaining(types::add);
          mediaTypes = List.copyOf(types);
          if (body.path("content").path("application/json").has("schema")) {
            bodyLocation = location(source.file(), bodyPointer + "/content/application~1json/schema");
          }
        }
        Operation operation = new Operation(source.file(), method.toUpperCase(Locale.ROOT), prefix + pathKey,
            op.path("operationId").asText(null), List.copyOf(params.values()), bodyLocation, bodyRequired, mediaTypes);
        collectResponses(doc, op.path("responses"), pathPointer + "/" + method + "/responses", source.file(),
            operation.responseLocations);
        out.add(operation);
      }
    }
  }

  private static void collectParams(JsonNode doc, JsonNode list, String pointer, String file, Map<String, Param> out) {
    if (!list.isArray()) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode p = list.get(i);
      String paramPointer = pointer + "/" + i;
      if (p.has("$ref")) {
        paramPointer = p.get("$ref").asText().substring(1);
        p = resolve(doc, p);
      }
      String name = p.path("name").asText();
      String in = p.path("in").asText();
      JsonNode schema = p.path("schema");
      String schemaLocation = schema.isObject() ? location(file, paramPointer + "/schema") : null;
      out.put(in + ":" + name, new Param(name, in, p.path("required").asBoolean(false) || "path".equals(in),
          schema.path("type").asText("string"), schemaLocation));
    }
  }

  private static void collectResponses(JsonNode doc, JsonNode responses, String pointer, String file,
      Map<String, String> out) {
    responses.fields().forEachRemaining(e -> {
      JsonNode response = e.getValue();
      String responsePointer = pointer + "/" + escape(e.getKey());
      if (response.has("$ref")) {
        responsePointer = response.get("$ref").asText().substring(1);
        response = resolve(doc, response);
      }
      if (response.path("content").path("application/json").has("schema")) {
        out.put(e.getKey(), location(file, responsePointer + "/content/application~1json/schema"));
      }
    });
  }

  private static JsonNode resolve(JsonNode doc, JsonNode ref) {
    return doc.at(ref.get("$ref").asText().substring(1));
  }

  private static String escape(String pathKey) {
    return pathKey.replace("~", "~0").replace("/", "~1");
  }

  private static String location(String file, String pointer) {
    return "classpath:" + RESOURCE_DIR + file + "#" + pointer.replace("{", "%7B").replace("}", "%7D");
  }

  /** A matched operation and the values of its path parameters. */
  record Match(Operation operation, Map<String, String> pathParams) {}

  /** Finds the spec operation for a request, if the spec has one. */
  Optional<Match> match(String method, String path) {
    for (Operation op : operations) {
      if (!op.method.equals(method)) {
        continue;
      }
      Matcher m = op.regex.matcher(path);
      if (m.matches()) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < op.pathParamNames.size(); i++) {
          values.put(op.pathParamNames.get(i), Http.decode(m.group(i + 1)));
        }
        return Optional.of(new Match(op, values));
      }
    }
    return Optional.empty();
  }

  /** True when some operation of the spec has this path (with any method). */
  boolean knowsPath(String path) {
    return operations.stream().anyMatch(op -> op.regex.matcher(path).matches());
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
        case "query" -> first(query.get(p.name()));
        case "header" -> first(headers.get(p.name().toLowerCase(Locale.ROOT)));
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
      Schema schema = op.paramSchemas.computeIfAbsent(p.schemaLocation(), l -> registry.getSchema(SchemaLocation.of(l)));
      for (com.networknt.schema.Error e : schema.validate(literal, InputFormat.JSON)) {
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
    Schema schema = op.bodySchema;
    if (schema == null) {
      synchronized (op) {
        if (op.bodySchema == null) {
          op.bodySchema = registry.getSchema(SchemaLocation.of(op.bodyLocation));
        }
        schema = op.bodySchema;
      }
    }
    for (com.networknt.schema.Error e : schema.validate(bodyText, InputFormat.JSON)) {
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
    Schema schema = op.paramSchemas.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(l)));
    List<String> problems = new ArrayList<>();
    for (com.networknt.schema.Error e : schema.validate(bodyText, InputFormat.JSON)) {
      problems.add("response " + status + " " + e);
    }
    return problems;
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
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
