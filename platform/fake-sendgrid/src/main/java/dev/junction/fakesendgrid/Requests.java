package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Request helpers the handlers share: required strings, string lists, id lists, page tokens. */
final class Requests {
    private Requests() {}

    static String requiredString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiError.badRequest(field, field + " is required");
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, field + " must be a string");
        }
        return v.asText();
    }

    static List<String> stringList(JsonNode body, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw ApiError.badRequest(field, field + " must be an array");
        }
        v.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** The comma-separated ids of a DELETE, at least one and at most {@code max} (guess G9). */
    static List<String> ids(String param, String value, int max) {
        List<String> ids = Http.commaList(value);
        if (ids.isEmpty()) {
            throw ApiError.badRequest(param, param + " must list at least one contact id");
        }
        if (ids.size() > max) {
            throw ApiError.badRequest(param, param + " may list at most " + max + " ids per request; got " + ids.size());
        }
        return ids;
    }

    static String encodeToken(String kind, int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int decodeToken(String kind, String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(kind + ":")) {
                int offset = Integer.parseInt(s.substring(kind.length() + 1));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ApiError.badRequest("page_token", "invalid page_token");
    }
}
