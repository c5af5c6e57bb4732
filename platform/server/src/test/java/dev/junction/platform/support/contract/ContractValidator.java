package dev.junction.platform.support.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks one exchange against the contract. The rules:
 * <ul>
 *   <li>the request's method and path must be an operation of the contract (an unknown path or
 *       method is a violation, never skipped);</li>
 *   <li>the response status must be documented for it (exactly, as a range like {@code 5XX}, or
 *       {@code default}), with its required headers, a documented media type and a body valid
 *       against the schema;</li>
 *   <li>a request the server <em>accepted</em> (2xx) must itself be valid: security scheme, path
 *       and query parameters (no undocumented ones), content type and body. A refused request
 *       (4xx) is a test sending bad input on purpose; only its answer is checked.</li>
 * </ul>
 */
public final class ContractValidator {

    private final Contract contract;

    public ContractValidator(Contract contract) {
        this.contract = contract;
    }

    /** Every disagreement between the exchange and the contract; empty when none. */
    public List<String> validate(Exchange x) {
        List<String> out = new ArrayList<>();
        String rawPath = x.uri().getRawPath();
        Optional<Contract.Match> found = contract.find(x.method(), rawPath);
        if (found.isEmpty()) {
            out.add(contract.hasPath(rawPath)
                    ? x.method() + " is not an operation of the contract on " + rawPath
                    : "no path of the contract matches " + rawPath + " (add it to ui-contract/openapi.yaml)");
            return out;
        }
        Contract.Operation op = found.get().operation();
        if (x.status() >= 200 && x.status() < 300) {
            validateRequest(x, found.get(), out);
        }
        validateResponse(x, op, out);
        return out;
    }

    private void validateRequest(Exchange x, Contract.Match match, List<String> out) {
        Contract.Operation op = match.operation();
        JsonNode pathItem = contract.root().at("/paths/" + Contract.escape(op.template()));
        Map<String, Contract.Located> parameters = new LinkedHashMap<>();
        collectParameters(pathItem.path("parameters"), "/paths/" + Contract.escape(op.template()) + "/parameters", parameters);
        collectParameters(op.node().path("parameters"), op.pointer() + "/parameters", parameters);

        // security: one of the alternatives must be satisfied ({} means none needed)
        JsonNode security = op.node().has("security") ? op.node().get("security") : contract.root().path("security");
        if (security.isArray() && !security.isEmpty() && !satisfied(x, security)) {
            out.add("request: the operation requires " + security + " but the request carries no such credentials");
        }

        for (Map.Entry<String, String> p : match.pathParameters().entrySet()) {
            Contract.Located param = parameters.get("path:" + p.getKey());
            if (param == null) {
                out.add("request: path parameter '" + p.getKey() + "' is not documented");
                continue;
            }
            checkValue("path parameter '" + p.getKey() + "'", param, p.getValue(), out);
        }
        for (Map.Entry<String, List<String>> q : query(x.uri().getRawQuery()).entrySet()) {
            Contract.Located param = parameters.get("query:" + q.getKey());
            if (param == null) {
                out.add("request: query parameter '" + q.getKey() + "' is not documented");
                continue;
            }
            for (String value : q.getValue()) {
                checkValue("query parameter '" + q.getKey() + "'", param, value, out);
            }
        }
        for (Contract.Located param : parameters.values()) {
            if (param.node().path("required").asBoolean(false) && param.node().path("in").asText().equals("query")
                    && !query(x.uri().getRawQuery()).containsKey(param.node().path("name").asText())) {
                out.add("request: required query parameter '" + param.node().path("name").asText() + "' is missing");
            }
        }

        Contract.Located requestBody = contract.resolve(op.node().get("requestBody"), op.pointer() + "/requestBody");
        boolean hasBody = x.body() != null && x.body().length > 0;
        if (requestBody.node() == null) {
            if (hasBody) {
                out.add("request: the operation takes no body, but one was sent");
            }
            return;
        }
        if (!hasBody) {
            if (requestBody.node().path("required").asBoolean(false)) {
                out.add("request: a body is required");
            }
            return;
        }
        String mediaType = x.contentType() == null ? "" : Exchange.mediaType(x.contentType());
        Optional<Contract.Located> content = mediaTypeEntry(requestBody.child("content"), mediaType);
        if (content.isEmpty()) {
            out.add("request: Content-Type '" + mediaType + "' is not documented (documented: "
                    + fieldNames(requestBody.node().path("content")) + ")");
            return;
        }
        validateBody("request body", content.get(), mediaType, x.body(), out);
    }

    private void validateResponse(Exchange x, Contract.Operation op, List<String> out) {
        Contract.Located responses = new Contract.Located(op.node().get("responses"), op.pointer() + "/responses");
        String code = Integer.toString(x.status());
        Contract.Located response = null;
        for (String key : List.of(code, code.charAt(0) + "XX", code.charAt(0) + "xx", "default")) {
            if (responses.node() != null && responses.node().has(key)) {
                response = contract.resolve(responses.node().get(key), responses.pointer() + "/" + key);
                break;
            }
        }
        if (response == null) {
            out.add("response: status " + x.status() + " is not documented for " + op.method() + " " + op.template()
                    + " (documented: " + fieldNames(responses.node()) + ")");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = response.node().path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            JsonNode header = contract.resolve(h.getValue(), "").node();
            Optional<String> value = x.responseHeader(h.getKey());
            if (header.path("required").asBoolean(false) && value.isEmpty()) {
                out.add("response: header " + h.getKey() + " is required but missing");
            }
            String pattern = header.path("schema").path("pattern").asText(null);
            if (pattern != null && value.isPresent() && !java.util.regex.Pattern.compile(pattern).matcher(value.get()).find()) {
                out.add("response: header " + h.getKey() + " '" + value.get() + "' does not match " + pattern);
            }
        }
        JsonNode content = response.node().get("content");
        boolean hasBody = x.responseBody() != null && x.responseBody().length > 0;
        if (content == null || content.isEmpty()) {
            if (hasBody) {
                out.add("response: status " + x.status() + " documents no body, but one came (" + x.responseMediaType() + ")");
            }
            return;
        }
        String mediaType = x.responseMediaType();
        Optional<Contract.Located> entry = mediaTypeEntry(response.child("content"), mediaType);
        if (entry.isEmpty()) {
            out.add("response: Content-Type '" + mediaType + "' is not documented for status " + x.status()
                    + " (documented: " + fieldNames(content) + ")");
            return;
        }
        if (x.responseBody() == null) {
            return; // a stream: its messages are checked one by one (SseClient)
        }
        if (!hasBody) {
            out.add("response: status " + x.status() + " documents a body (" + fieldNames(content) + "), none came");
            return;
        }
        validateBody("response body", entry.get(), mediaType, x.responseBody(), out);
    }

    private void validateBody(String what, Contract.Located mediaTypeEntry, String mediaType, byte[] body, List<String> out) {
        if (!isJson(mediaType) || mediaTypeEntry.node() == null || !mediaTypeEntry.node().has("schema")) {
            return;
        }
        JsonNode json;
        try {
            json = Contract.parse(body);
        } catch (IOException e) {
            out.add(what + " is not JSON: " + e.getMessage());
            return;
        }
        for (Error e : contract.validate(mediaTypeEntry.pointer() + "/schema", json)) {
            out.add(what + " " + Contract.message(e));
        }
    }

    private void checkValue(String what, Contract.Located param, String value, List<String> out) {
        JsonNode schema = param.node().get("schema");
        if (schema == null) {
            return;
        }
        for (Error e : contract.validate(param.pointer() + "/schema", Contract.parameterValue(value, schema))) {
            out.add("request: " + what + " '" + value + "': " + e.getMessage());
        }
    }

    private void collectParameters(JsonNode list, String pointer, Map<String, Contract.Located> into) {
        for (int i = 0; i < list.size(); i++) {
            Contract.Located p = contract.resolve(list.get(i), pointer + "/" + i);
            into.put(p.node().path("in").asText() + ":" + p.node().path("name").asText(), p);
        }
    }

    private static boolean satisfied(Exchange x, JsonNode alternatives) {
        String auth = Optional.ofNullable(x.requestHeader("Authorization")).orElse("");
        for (JsonNode alternative : alternatives) {
            if (alternative.isEmpty()) {
                return true;
            }
            String scheme = alternative.fieldNames().next();
            if (scheme.equals("bearer") && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return true;
            }
            if ((scheme.equals("writeKey") || scheme.equals("webhookBasic")) && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Contract.Located> mediaTypeEntry(Contract.Located content, String mediaType) {
        if (content.node() == null) {
            return Optional.empty();
        }
        if (content.node().has(mediaType)) {
            return Optional.of(content.child(mediaType));
        }
        String range = mediaType.contains("/") ? mediaType.substring(0, mediaType.indexOf('/')) + "/*" : "";
        if (content.node().has(range)) {
            return Optional.of(content.child(range));
        }
        return content.node().has("*/*") ? Optional.of(content.child("*/*")) : Optional.empty();
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return String.join(", ", names).toLowerCase(Locale.ROOT);
    }
}
