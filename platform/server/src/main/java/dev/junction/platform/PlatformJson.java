package dev.junction.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one mapper for JSON the server makes or reads itself: jsonb columns, event payloads,
 * installation config, run counts. Instants are written as ISO-8601 text.
 * <p>
 * Why Jackson's {@code ObjectMapper} and not Micronaut Serde's {@code JsonMapper}: the
 * connector runtime (config schemas, validation, defaults) works on Jackson's tree
 * ({@code ObjectNode}), which the server hands to and takes from it, and this JSON is made in
 * places that are no beans (records, repositories' row mappers, the command line). Serde stays
 * where Micronaut uses it: HTTP request and response bodies, by compile-time introspection.
 * Nothing in the server creates another {@code ObjectMapper}.
 */
public final class PlatformJson {

    /** Thread-safe once configured; never reconfigure it. */
    public static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private PlatformJson() {
    }

    /** {@code value} as JSON text; values of our own making always serialise. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable as JSON: " + value.getClass().getName(), e);
        }
    }
}
