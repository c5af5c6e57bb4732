package dev.junction.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON on plain Java types, so plugins need no JSON library: objects are {@code Map<String,Object>}
 * (insertion-ordered), arrays {@code List<Object>}, and scalars {@code String}, {@code Boolean},
 * {@code Long}/{@code Double}/{@code java.math.BigDecimal} or null.
 *
 * @since 1.0
 */
public interface Json {

    /** Parses JSON text. @throws IllegalArgumentException when it is not valid JSON */
    Object parse(byte[] utf8);

    /** Writes a value of the types above (records and other objects are not supported). */
    byte[] write(Object value);

    /** Parses text, see {@link #parse(byte[])}. */
    default Object parse(String text) {
        return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Writes as a string, see {@link #write(Object)}. */
    default String writeString(Object value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The JSON object in {@code utf8}, such as a vendor's answer; empty when it is not JSON or not
     * an object.
     *
     * @since 1.0
     */
    @SuppressWarnings("unchecked")
    default Optional<Map<String, Object>> parseObject(byte[] utf8) {
        try {
            return parse(utf8) instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
        } catch (IllegalArgumentException notJson) {
            return Optional.empty();
        }
    }

    /**
     * The objects in the array {@code field} of the JSON object in {@code utf8}, for example the
     * {@code errors} of a vendor's error document; empty when there are none, or the body is not
     * such an object. Other array elements are skipped.
     *
     * @since 1.0
     */
    @SuppressWarnings("unchecked")
    default List<Map<String, Object>> objectsIn(byte[] utf8, String field) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (parseObject(utf8).orElse(Map.of()).get(field) instanceof List<?> items) {
            items.forEach(item -> {
                if (item instanceof Map<?, ?> object) {
                    out.add((Map<String, Object>) object);
                }
            });
        }
        return out;
    }
}
