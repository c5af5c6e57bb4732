package dev.junction.platform.inbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The cheap check a body passes before it is acknowledged: well-formed JSON (one value, nothing
 * after it, no repeated key) whose top level is an array or an object. Streams over the bytes without building a
 * tree; what the vendor's events mean is the processor's business.
 */
public final class JsonShape {

    /** Like the API's own JSON: {@code {"a":1,"a":2}} is ambiguous, so refused. */
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private JsonShape() {
    }

    /** The body is not JSON of an accepted shape; the message says why (no body content). */
    public static final class NotJson extends Exception {
        NotJson(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * How many events the body carries: the elements of a top-level array, or 1 for an object.
     *
     * @throws NotJson when the body is not one well-formed JSON array or object
     */
    public static int events(byte[] body) throws NotJson {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            int events;
            if (first == JsonToken.START_OBJECT) {
                p.skipChildren();
                events = 1;
            } else if (first == JsonToken.START_ARRAY) {
                events = 0;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t == null) {
                        throw new NotJson("The body ends inside its array");
                    }
                    p.skipChildren();
                    events++;
                }
            } else {
                throw new NotJson(first == null ? "The body is empty" : "The body must be a JSON array or object");
            }
            if (p.nextToken() != null) {
                throw new NotJson("The body has content after its JSON value");
            }
            return events;
        } catch (IOException e) {
            throw new NotJson("The body is not well-formed JSON");
        }
    }
}
