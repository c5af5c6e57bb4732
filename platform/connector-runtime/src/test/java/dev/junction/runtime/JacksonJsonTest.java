package dev.junction.runtime;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JacksonJsonTest {

    private final JacksonJson json = JacksonJson.INSTANCE;

    @Test
    @SuppressWarnings("unchecked")
    void numbersComeAsTheSpiSays() {
        Map<String, Object> m = (Map<String, Object>) json.parse("{\"small\":1,\"big\":12345678901,\"huge\":123456789012345678901234567890,"
                + "\"dec\":1.5,\"precise\":0.1000000000000000000000001,\"list\":[1,2.25]}");
        assertEquals(1L, m.get("small"));
        assertEquals(12345678901L, m.get("big"));
        assertEquals(new BigInteger("123456789012345678901234567890"), m.get("huge"));
        assertEquals(1.5, m.get("dec"));
        assertInstanceOf(BigDecimal.class, m.get("precise"));
        assertEquals(List.of(1L, 2.25), m.get("list"));
    }

    @Test
    void invalidJsonIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> json.parse("{"));
        assertThrows(IllegalArgumentException.class, () -> json.parse("[] trailing"));
    }
}
