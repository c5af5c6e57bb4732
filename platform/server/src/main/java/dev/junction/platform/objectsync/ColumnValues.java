package dev.junction.platform.objectsync;

import dev.junction.platform.PlatformJson;
import dev.junction.spi.objects.ColumnSpec.ColumnType;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Date;

/**
 * Turns what a connector emitted into JSON values of a column's type, leniently where the meaning
 * is plain ({@code "42"} for a bigint, an ISO-8601 string for a timestamp) and refusing the rest,
 * so that one odd value costs that value (stored as NULL, the vendor's object stays whole in
 * {@code raw}) rather than a batch.
 */
final class ColumnValues {

    /** A value that does not fit its column. */
    static final Object INVALID = new Object();

    /** A value of a {@code JSON} column, already written as JSON text. */
    record JsonText(String text) { }
    /** Timestamps PostgreSQL stores and ISO-8601 readers agree on. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private ColumnValues() {
    }

    /**
     * The value as the JSON-writable value of the column (String, Long, Double, Boolean, Instant,
     * a List of strings, {@link JsonText}), null for null, or {@link #INVALID}.
     */
    static Object coerce(ColumnType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case TEXT -> text(value);
            case BIGINT -> bigint(value);
            case DOUBLE -> doubleValue(value);
            case BOOLEAN -> value instanceof Boolean ? value
                    : "true".equals(value) ? Boolean.TRUE : "false".equals(value) ? Boolean.FALSE : INVALID;
            case TIMESTAMP -> timestamp(value);
            case JSON -> jsonText(value);
            case TEXT_ARRAY -> textArray(value);
        };
    }

    private static Object jsonText(Object value) {
        try {
            return new JsonText(json(value));
        } catch (IOException | RuntimeException notJson) {
            return INVALID;
        }
    }

    /**
     * Appends a coerced value (not {@link #INVALID}) as a field of PostgreSQL's COPY text format:
     * {@code \N} for null, text with backslash, tab and line breaks escaped, arrays as array literals.
     */
    static void appendCopy(StringBuilder line, ColumnType type, Object coerced) {
        if (coerced == null) {
            line.append("\\N");
            return;
        }
        switch (type) {
            case TEXT -> appendCopyText(line, (String) coerced);
            case JSON -> appendCopyText(line, ((JsonText) coerced).text());
            case TEXT_ARRAY -> {
                StringBuilder literal = new StringBuilder("{");
                for (Object element : (Collection<?>) coerced) {
                    if (literal.length() > 1) {
                        literal.append(',');
                    }
                    if (element == null) {
                        literal.append("NULL");
                    } else {
                        literal.append('"');
                        String e = (String) element;
                        for (int i = 0; i < e.length(); i++) {
                            char c = e.charAt(i);
                            if (c == '"' || c == '\\') {
                                literal.append('\\');
                            }
                            literal.append(c);
                        }
                        literal.append('"');
                    }
                }
                appendCopyText(line, literal.append('}').toString());
            }
            default -> line.append(coerced); // numbers, booleans and instants print as PostgreSQL reads them
        }
    }

    /** Text in COPY's text format: the characters that would end the field or line escaped. */
    static void appendCopyText(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(c);
            }
        }
    }

    /**
     * A JSON value as text PostgreSQL accepts as jsonb: any value Jackson can write, with the
     * character U+0000 removed (jsonb and text cannot hold it). Throws when it cannot be written.
     */
    static String json(Object value) throws IOException {
        String text = PlatformJson.MAPPER.writeValueAsString(value);
        return text.contains("\\u0000") ? withoutNulEscapes(text) : text;
    }

    /** Removes {@code \u0000} escapes, but not an escaped backslash followed by {@code u0000}. */
    private static String withoutNulEscapes(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\' && i + 1 < json.length()) {
                if (json.startsWith("u0000", i + 1)) {
                    i += 5;
                    continue;
                }
                out.append(c).append(json.charAt(++i));
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static Object text(Object value) {
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                || value instanceof Instant || value instanceof Enum<?>) {
            return withoutNul(value.toString());
        }
        return INVALID;
    }

    private static String withoutNul(String s) {
        return s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
    }

    private static Object bigint(Object value) {
        try {
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            if (value instanceof BigInteger b) {
                return b.longValueExact();
            }
            if (value instanceof BigDecimal d) {
                return d.longValueExact();
            }
            if (value instanceof Double || value instanceof Float) {
                return new BigDecimal(value.toString()).longValueExact();
            }
            if (value instanceof String s) {
                return Long.parseLong(s.strip());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return INVALID;
        }
        return INVALID;
    }

    private static Object doubleValue(Object value) {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return INVALID;
            }
        } else {
            return INVALID;
        }
        return Double.isFinite(d) ? d : INVALID; // JSON (and so jsonb) has no NaN or infinity
    }

    private static Object timestamp(Object value) {
        Instant t;
        if (value instanceof Instant i) {
            t = i;
        } else if (value instanceof OffsetDateTime o) {
            t = o.toInstant();
        } else if (value instanceof ZonedDateTime z) {
            t = z.toInstant();
        } else if (value instanceof Date d) {
            t = d.toInstant();
        } else if (value instanceof String s) {
            try {
                t = OffsetDateTime.parse(s.strip()).toInstant();
            } catch (DateTimeParseException e) {
                return INVALID;
            }
        } else {
            return INVALID;
        }
        return t.isBefore(EARLIEST) || t.isAfter(LATEST) ? INVALID : t;
    }

    private static Object textArray(Object value) {
        Collection<?> elements;
        if (value instanceof Collection<?> c) {
            elements = c;
        } else if (value instanceof Object[] a) {
            elements = java.util.Arrays.asList(a);
        } else {
            return INVALID;
        }
        java.util.List<String> out = new java.util.ArrayList<>(elements.size());
        for (Object e : elements) {
            if (e == null) {
                out.add(null);
                continue;
            }
            Object t = text(e);
            if (t == INVALID) {
                return INVALID;
            }
            out.add((String) t);
        }
        return out;
    }
}
