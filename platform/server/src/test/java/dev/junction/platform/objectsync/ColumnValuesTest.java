package dev.junction.platform.objectsync;

import dev.junction.spi.objects.ColumnSpec.ColumnType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.junction.platform.objectsync.ColumnValues.INVALID;
import static dev.junction.platform.objectsync.ColumnValues.coerce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ColumnValuesTest {

    @Test
    void valuesOfThePlainMeaningAreTaken() {
        assertEquals("42", coerce(ColumnType.TEXT, 42));
        assertEquals("ab", coerce(ColumnType.TEXT, "a\u0000b"), "PostgreSQL text cannot hold U+0000");
        assertEquals(42L, coerce(ColumnType.BIGINT, 42));
        assertEquals(42L, coerce(ColumnType.BIGINT, " 42 "));
        assertEquals(42L, coerce(ColumnType.BIGINT, 42.0));
        assertEquals(42L, coerce(ColumnType.BIGINT, new BigDecimal("42.000")));
        assertEquals(1.5, coerce(ColumnType.DOUBLE, "1.5"));
        assertEquals(2.0, coerce(ColumnType.DOUBLE, 2));
        assertEquals(Boolean.TRUE, coerce(ColumnType.BOOLEAN, "true"));
        Instant t = Instant.parse("2024-01-02T03:04:05Z");
        assertEquals(t, coerce(ColumnType.TIMESTAMP, t));
        assertEquals(t, coerce(ColumnType.TIMESTAMP, "2024-01-02T04:04:05+01:00"));
        assertEquals(t, coerce(ColumnType.TIMESTAMP, OffsetDateTime.parse("2024-01-02T03:04:05Z")));
        assertEquals(Arrays.asList("a", "1", null), coerce(ColumnType.TEXT_ARRAY, Arrays.asList("a", 1, null)));
        assertEquals(new ColumnValues.JsonText("{\"a\":[1,true]}"), coerce(ColumnType.JSON, Map.of("a", List.of(1, true))));
        assertEquals(new ColumnValues.JsonText("\"x\""), coerce(ColumnType.JSON, "x\u0000"));
        assertNull(coerce(ColumnType.BIGINT, null));
    }

    @Test
    void valuesThatDoNotFitAreRefused() {
        assertEquals(INVALID, coerce(ColumnType.TEXT, Map.of("a", 1)));
        assertEquals(INVALID, coerce(ColumnType.BIGINT, "12a"));
        assertEquals(INVALID, coerce(ColumnType.BIGINT, 1.5));
        assertEquals(INVALID, coerce(ColumnType.BIGINT, new BigInteger("99999999999999999999")));
        assertEquals(INVALID, coerce(ColumnType.DOUBLE, Double.NaN));
        assertEquals(INVALID, coerce(ColumnType.DOUBLE, "fast"));
        assertEquals(INVALID, coerce(ColumnType.BOOLEAN, "yes"));
        assertEquals(INVALID, coerce(ColumnType.TIMESTAMP, "2024-01-02"));
        assertEquals(INVALID, coerce(ColumnType.TIMESTAMP, 1700000000));
        assertEquals(INVALID, coerce(ColumnType.TIMESTAMP, Instant.MAX));
        assertEquals(INVALID, coerce(ColumnType.TEXT_ARRAY, "a,b"));
        assertEquals(INVALID, coerce(ColumnType.TEXT_ARRAY, List.of(List.of("nested"))));
    }

    @Test
    void nulEscapesAreRemovedButAnEscapedBackslashIsKept() throws Exception {
        assertEquals("\"a\\\\u0000\"", ColumnValues.json("a\\u0000"), "a backslash followed by u0000, not a NUL");
        assertEquals("\"ab\"", ColumnValues.json("a\u0000b"));
    }
}
