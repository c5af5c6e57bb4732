package dev.junction.spi;

import java.util.Map;
import java.util.Optional;

/**
 * An installation's config: the JSON object the tenant supplied, already validated against the
 * connector's schema, with defaults from the schema applied and secret fields resolved to their
 * plain values. Values are JSON-compatible Java types: {@code String}, {@code Number},
 * {@code Boolean}, {@code List}, {@code Map}.
 *
 * <p>Secret values must never be logged or put in exception messages.
 *
 * @since 1.0
 */
public interface ConnectorConfig {

    /** The whole config as an unmodifiable map. */
    Map<String, Object> asMap();

    /** A string field, if present and a string. */
    default Optional<String> string(String field) {
        Object v = asMap().get(field);
        return v instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** A string field the schema requires. */
    default String requireString(String field) {
        return string(field).orElseThrow(() -> new IllegalStateException("config field '" + field + "' is missing"));
    }

    /** A boolean field, or the default. */
    default boolean bool(String field, boolean defaultValue) {
        Object v = asMap().get(field);
        return v instanceof Boolean b ? b : defaultValue;
    }

    /** A numeric field, if present. */
    default Optional<Number> number(String field) {
        Object v = asMap().get(field);
        return v instanceof Number n ? Optional.of(n) : Optional.empty();
    }
}
