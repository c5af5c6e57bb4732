package dev.junction.spi;

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
}
