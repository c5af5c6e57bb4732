package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakeklaviyo.JsonApi.ApiError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks one request against its operation: query parameters (known names, types, bounds, enums of sparse
 * fieldsets, the filter syntax and its allowed fields/operators), the {@code revision} header, the content type
 * and the JSON:API body against the operation's request schema. Answers Klaviyo-shaped errors with
 * {@code source.parameter} or {@code source.pointer}.
 */
final class RequestValidator {
    private final KlaviyoSpec spec;

    RequestValidator(KlaviyoSpec spec) {
        this.spec = spec;
    }

    List<ApiError> validate(KlaviyoSpec.Match match, Map<String, List<String>> query, String revision,
            String contentType, String body, JsonNode parsed) {
        KlaviyoSpec.Operation op = match.operation();
        List<ApiError> problems = new ArrayList<>();
        if (revision == null || revision.isBlank()) {
            problems.add(new ApiError(400, "invalid", "Invalid input.", "The revision header is required.", null,
                    "revision"));
        } else if (!revision.equals(KlaviyoSpec.REVISION)) {
            problems.add(new ApiError(400, "invalid", "Invalid input.", "The revision '" + revision
                    + "' is not served here; the fake serves " + KlaviyoSpec.REVISION + ".", null, "revision"));
        }
        for (Map.Entry<String, List<String>> q : query.entrySet()) {
            if (op.param("query", q.getKey()).isEmpty()) {
                problems.add(ApiError.invalid("'" + q.getKey() + "' is not a valid query parameter for "
                        + op.operationId + ".", null, q.getKey()));
            } else if (q.getValue().size() > 1) {
                problems.add(ApiError.invalid("'" + q.getKey() + "' may be given once.", null, q.getKey()));
            }
        }
        for (dev.junction.fakevendor.OpenApiReader.Param p : op.params) {
            if (!p.in().equals("query")) {
                continue;
            }
            List<String> values = query.get(p.name());
            String value = values == null || values.isEmpty() ? null : values.get(0);
            if (value == null) {
                if (p.required()) {
                    problems.add(ApiError.invalid("'" + p.name() + "' is required.", null, p.name()));
                }
                continue;
            }
            if (p.name().equals("filter")) {
                checkFilter(op, value, problems);
                continue;
            }
            String literal = literal(p.schema(), value);
            if (literal == null) {
                problems.add(ApiError.invalid("'" + value + "' is not a valid " + p.schema().path("type").asText()
                        + " for '" + p.name() + "'.", null, p.name()));
                continue;
            }
            for (String message : spec.validate(p.location(), literal)) {
                problems.add(ApiError.invalid("'" + p.name() + "' " + message.replaceFirst("^[^:]*: ", ""), null, p.name()));
            }
        }
        checkBody(op, contentType, body, parsed, problems);
        return problems;
    }

    private void checkFilter(KlaviyoSpec.Operation op, String value, List<ApiError> problems) {
        if (op.filters.isMissingNode() || op.filters.isEmpty()) {
            return;
        }
        try {
            for (String message : Filter.check(Filter.parse(value), op.filters)) {
                problems.add(ApiError.invalid("Invalid filter provided: " + message + ".", null, "filter"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(ApiError.invalid("Invalid filter provided: " + e.getMessage() + ".", null, "filter"));
        }
    }

    private void checkBody(KlaviyoSpec.Operation op, String contentType, String body, JsonNode parsed,
            List<ApiError> problems) {
        if (body == null || body.isEmpty()) {
            if (op.bodyRequired) {
                problems.add(ApiError.invalid("A request body is required.", "/data", null));
            }
            return;
        }
        if (op.mediaTypes.isEmpty()) {
            problems.add(ApiError.invalid(op.operationId + " takes no request body.", "/", null));
            return;
        }
        String mediaType = contentType == null ? null : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType == null || !op.mediaTypes.contains(mediaType)) {
            problems.add(new ApiError(415, "unsupported_media_type", "Unsupported media type.",
                    "Content-Type '" + contentType + "' is not one of " + op.mediaTypes + ".", "/", null));
            return;
        }
        if (parsed == null) {
            problems.add(new ApiError(400, "parse_error", "Malformed request.", "The request body is not valid JSON.",
                    "/", null));
            return;
        }
        if (op.bodyLocation == null) {
            return;
        }
        for (String message : spec.validate(op.bodyLocation, body)) {
            problems.add(ApiError.invalid(message, pointer(message), null));
        }
    }

    /** networknt messages start with the instance location, e.g. {@code /data/attributes/name: ...}. */
    private static String pointer(String message) {
        int colon = message.indexOf(':');
        String head = colon > 0 ? message.substring(0, colon) : "";
        if (head.startsWith("/")) {
            return head;
        }
        if (head.startsWith("$")) {
            return head.substring(1).replace('.', '/').replaceAll("\\[(\\d+)]", "/$1");
        }
        return "/data";
    }

    /**
     * The query value as JSON of the schema's type: arrays are comma-separated ({@code explode: false}),
     * numbers parsed, anything else a string. Null when it cannot be that type.
     */
    private static String literal(JsonNode schema, String value) {
        String type = schema.path("type").asText("string");
        if (type.equals("array")) {
            StringBuilder sb = new StringBuilder("[");
            String itemType = schema.path("items").path("type").asText("string");
            String[] items = value.split(",", -1);
            for (int i = 0; i < items.length; i++) {
                String item = scalar(itemType, items[i]);
                if (item == null) {
                    return null;
                }
                sb.append(i == 0 ? "" : ",").append(item);
            }
            return sb.append(']').toString();
        }
        return scalar(type, value);
    }

    private static String scalar(String type, String value) {
        switch (type) {
            case "integer":
            case "number":
                try {
                    BigDecimal n = new BigDecimal(value.trim());
                    if (type.equals("integer") && n.stripTrailingZeros().scale() > 0) {
                        return null;
                    }
                    return n.toPlainString();
                } catch (NumberFormatException e) {
                    return null;
                }
            case "boolean":
                return value.equals("true") || value.equals("false") ? value : null;
            default:
                return JsonApi.MAPPER.getNodeFactory().textNode(value).toString();
        }
    }
}
