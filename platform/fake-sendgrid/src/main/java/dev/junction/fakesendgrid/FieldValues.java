package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/** Custom field names and values: SendGrid's rules for a field's name and for a value of its type. */
final class FieldValues {
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private FieldValues() {}

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 100) {
            throw ApiError.badRequest("name", "name must be 1 to 100 characters");
        }
        if (!FIELD_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("name",
                    "custom field names may contain only letters, digits and underscores, and must begin with a letter or underscore");
        }
    }

    /** Checks a custom field value against its type; returns the value to store or throws with the reason. */
    static Object coerce(Store.FieldDef def, JsonNode value) {
        switch (def.type()) {
            case TEXT:
                if (!value.isTextual()) {
                    throw new IllegalArgumentException("custom field " + def.id() + " (" + def.name() + ") is a Text field; the value must be a string");
                }
                return value.asText();
            case NUMBER:
                if (value.isNumber()) {
                    return number(value.decimalValue());
                }
                if (value.isTextual()) {
                    try {
                        return number(new BigDecimal(value.asText().trim()));
                    } catch (NumberFormatException e) {
                        // fall through
                    }
                }
                throw new IllegalArgumentException("custom field " + def.id() + " (" + def.name() + ") is a Number field; '"
                        + value.asText() + "' is not a number");
            case DATE:
                if (value.isTextual() && isDate(value.asText().trim())) {
                    return value.asText().trim();
                }
                throw new IllegalArgumentException("custom field " + def.id() + " (" + def.name() + ") is a Date field; '"
                        + value.asText() + "' is not a date (ISO-8601 or MM/DD/YYYY)");
            default:
                throw new IllegalStateException();
        }
    }

    private static Number number(BigDecimal d) {
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return d.doubleValue();
        }
    }

    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/uuuu");

    private static boolean isDate(String s) {
        for (java.util.function.Consumer<String> parser : List.<java.util.function.Consumer<String>>of(
                LocalDate::parse, OffsetDateTime::parse, Instant::parse, x -> LocalDate.parse(x, US_DATE))) {
            try {
                parser.accept(s);
                return true;
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return false;
    }
}
