package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** JSON:API helpers: one mapper, Klaviyo's error documents, resource objects, cursors and timestamps. */
final class JsonApi {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String MEDIA_TYPE = "application/vnd.api+json";

    private JsonApi() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** One entry of Klaviyo's {@code errors} array. */
    record ApiError(int status, String code, String title, String detail, String pointer, String parameter) {
        static ApiError of(int status, String code, String title, String detail) {
            return new ApiError(status, code, title, detail, null, null);
        }

        static ApiError invalid(String detail, String pointer, String parameter) {
            return new ApiError(400, "invalid", "Invalid input.", detail, pointer, parameter);
        }
    }

    /** {@code {"errors":[{id,status,code,title,detail,source:{pointer|parameter},links:{},meta:{}}]}}. */
    static ObjectNode errors(List<ApiError> errors) {
        ObjectNode doc = object();
        ArrayNode list = doc.putArray("errors");
        for (ApiError e : errors) {
            ObjectNode o = list.addObject();
            o.put("id", UUID.randomUUID().toString());
            o.put("status", e.status());
            o.put("code", e.code());
            o.put("title", e.title());
            o.put("detail", e.detail());
            ObjectNode source = o.putObject("source");
            if (e.parameter() != null) {
                source.put("parameter", e.parameter());
            } else {
                source.put("pointer", e.pointer() == null ? "/data" : e.pointer());
            }
            o.putObject("links");
            o.putObject("meta");
        }
        return doc;
    }

    /** A resource object {@code {type,id,attributes,links:{self}}}. */
    static ObjectNode resource(String type, String id, String baseUrl, String selfPath) {
        ObjectNode o = object();
        o.put("type", type);
        o.put("id", id);
        o.putObject("attributes");
        o.putObject("links").put("self", baseUrl + selfPath);
        return o;
    }

    /** A relationship entry {@code {"type":..,"id":..}}. */
    static ObjectNode ref(String type, String id) {
        ObjectNode o = object();
        o.put("type", type);
        o.put("id", id);
        return o;
    }

    /** Klaviyo's timestamps: ISO-8601 with offset, to the second. */
    static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "+00:00");
    }

    /** An opaque cursor holding a position (the last id of a page, or an offset). */
    static String cursor(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k1:" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position in a cursor, or null when it is not one of ours. */
    static String position(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return text.startsWith("k1:") ? text.substring(3) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
