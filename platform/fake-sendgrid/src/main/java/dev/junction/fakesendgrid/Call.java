package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One authenticated API request as the handlers see it.
 *
 * @param method the HTTP method
 * @param path the decoded path
 * @param rawQuery the raw query string (may be empty)
 * @param pathParams path parameter values by name
 * @param query decoded query parameters
 * @param json the parsed JSON body, or null when the body is empty or not JSON
 * @param bodyBytes the raw body
 * @param apiKey the caller's key
 */
record Call(String method, String path, String rawQuery, Map<String, String> pathParams, Map<String, List<String>> query,
        JsonNode json, byte[] bodyBytes, String apiKey) {

    String pathParam(String name) {
        return pathParams.get(name);
    }

    String queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The body as a JSON object, or a 400 when it is missing or not an object. */
    JsonNode jsonObject() {
        if (bodyBytes.length == 0) {
            throw ApiError.badRequest(null, "request body is required");
        }
        if (json == null) {
            throw ApiError.badRequest(null, "request body is not valid JSON");
        }
        if (!json.isObject()) {
            throw ApiError.badRequest(null, "request body must be a JSON object");
        }
        return json;
    }
}
