package dev.junction.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.junction.spi.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** {@link Json} on Jackson: maps keep insertion order, integers are {@code Long}. */
public final class JacksonJson implements Json {

    /** A shared instance; Jackson mappers are thread-safe once configured. */
    public static final JacksonJson INSTANCE = new JacksonJson();

    private final ObjectMapper mapper;

    public JacksonJson() {
        SimpleModule instants = new SimpleModule("instants").addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toString());
            }
        });
        this.mapper = new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .registerModule(instants);
    }

    @Override
    public Object parse(byte[] utf8) {
        try {
            return plain(mapper.readValue(utf8, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The SPI's number types: integers as {@code Long} (or {@code BigInteger} beyond long), decimals
     * as {@code Double} when that is exact enough to round-trip, else {@code BigDecimal}.
     */
    @SuppressWarnings("unchecked")
    private static Object plain(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof java.math.BigDecimal d) {
            double asDouble = d.doubleValue();
            return !Double.isInfinite(asDouble) && new java.math.BigDecimal(Double.toString(asDouble)).compareTo(d) == 0
                    ? (Object) asDouble : d;
        }
        if (v instanceof java.util.Map<?, ?> m) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            ((java.util.Map<String, Object>) m).forEach((k, x) -> out.put(k, plain(x)));
            return out;
        }
        if (v instanceof java.util.List<?> l) {
            java.util.List<Object> out = new java.util.ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v;
    }

    @Override
    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
