package dev.junction.fakesendgrid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** JSON helpers shared by the fake: one mapper, SendGrid's error body shape, timestamps. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SendGrid's error body: {@code {"errors":[{"field":<field or null>,"message":"..."}]}}. */
    static ObjectNode errors(String field, String message) {
        ObjectNode body = object();
        ArrayNode errors = body.putArray("errors");
        ObjectNode error = errors.addObject();
        if (field == null) {
            error.putNull("field");
        } else {
            error.put("field", field);
        }
        error.put("message", message);
        return body;
    }

    /**
     * SendGrid's 400 body for an error that names no field: {@code {"errors":[{"message":"..."}]}}. The
     * spec's 400 schemas (ContactsError, Error) type {@code field} as a string, so it is left out, not null.
     */
    static ObjectNode errorWithoutField(String message) {
        ObjectNode body = object();
        body.putArray("errors").addObject().put("message", message);
        return body;
    }

    /** ISO-8601 UTC with second precision, as SendGrid prints timestamps ({@code 2021-03-02T15:25:47Z}). */
    static String time(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS));
    }
}
