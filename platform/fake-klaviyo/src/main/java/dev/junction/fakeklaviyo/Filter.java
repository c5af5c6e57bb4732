package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Klaviyo's {@code filter} query syntax: {@code equals(email,"a@b.com")}, {@code any(id,["a","b"])},
 * {@code greater-than(updated,2024-01-01T00:00:00Z)}, {@code has(profile)}, combined with {@code and(...)} or
 * with commas at the top level. Values are quoted strings, lists, numbers, booleans or unquoted date-times.
 */
final class Filter {
    /** One condition; {@code list} is true when the value was written as a list. */
    record Condition(String operator, String field, List<String> values, boolean list) {
        /** The first value (for single-value operators). */
        String value() {
            return values.isEmpty() ? null : values.get(0);
        }
    }

    private final String text;
    private int pos;

    private Filter(String text) {
        this.text = text;
    }

    /** Parses a filter; throws {@link IllegalArgumentException} naming the problem. */
    static List<Condition> parse(String text) {
        Filter f = new Filter(text.trim());
        List<Condition> out = new ArrayList<>();
        f.expressions(out);
        if (f.pos != f.text.length()) {
            throw new IllegalArgumentException("unexpected '" + f.text.substring(f.pos) + "'");
        }
        return out;
    }

    private void expressions(List<Condition> out) {
        do {
            skipSpaces();
            expression(out);
            skipSpaces();
        } while (accept(','));
    }

    private void expression(List<Condition> out) {
        int start = pos;
        while (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '-')) {
            pos++;
        }
        String operator = text.substring(start, pos).toLowerCase(Locale.ROOT);
        if (operator.isEmpty()) {
            throw new IllegalArgumentException("expected an operator at position " + start);
        }
        expect('(');
        if (operator.equals("and")) {
            expressions(out);
            expect(')');
            return;
        }
        if (operator.equals("or") || operator.equals("not")) {
            throw new IllegalArgumentException("operator '" + operator + "' is not supported");
        }
        String field = field();
        List<String> values = new ArrayList<>();
        boolean list = false;
        skipSpaces();
        if (accept(',')) {
            skipSpaces();
            if (accept('[')) {
                list = true;
                skipSpaces();
                if (!accept(']')) {
                    do {
                        skipSpaces();
                        values.add(value());
                        skipSpaces();
                    } while (accept(','));
                    expect(']');
                }
            } else {
                values.add(value());
            }
        }
        skipSpaces();
        expect(')');
        out.add(new Condition(operator, field, values, list));
    }

    private String field() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ')') {
            pos++;
        }
        String field = text.substring(start, pos).trim();
        if (field.isEmpty()) {
            throw new IllegalArgumentException("expected a field at position " + start);
        }
        return field;
    }

    private String value() {
        if (accept('"') || accept('\'')) {
            char quote = text.charAt(pos - 1);
            StringBuilder sb = new StringBuilder();
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\' && pos + 1 < text.length()) {
                    pos++;
                }
                sb.append(text.charAt(pos++));
            }
            expect(quote);
            return sb.toString();
        }
        int start = pos;
        while (pos < text.length() && ",)]".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String raw = text.substring(start, pos).trim();
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("expected a value at position " + start);
        }
        return raw;
    }

    private void skipSpaces() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at position " + pos);
        }
    }

    /**
     * Checks conditions against an operation's {@code x-klaviyo-filters}: the field must be listed, and the operator
     * under {@code list} (value written as a list), {@code single} (one value) or {@code none} (no value).
     */
    static List<String> check(List<Condition> conditions, JsonNode allowed) {
        List<String> problems = new ArrayList<>();
        for (Condition c : conditions) {
            JsonNode field = allowed.path(c.field());
            if (field.isMissingNode()) {
                problems.add("'" + c.field() + "' is not a valid field for the resource");
                continue;
            }
            String kind = c.list() ? "list" : c.values().isEmpty() ? "none" : "single";
            boolean ok = false;
            for (JsonNode op : field.path("operators").path(kind)) {
                ok |= op.asText().equals(c.operator());
            }
            if (!ok) {
                problems.add("'" + c.operator() + "' operator with a " + kind + " value is not valid for field '"
                        + c.field() + "'");
                continue;
            }
            JsonNode type = field.path("value");
            for (String v : c.values()) {
                if ("date-time".equals(type.path("format").asText())) {
                    try {
                        java.time.OffsetDateTime.parse(v);
                    } catch (java.time.format.DateTimeParseException e) {
                        try {
                            java.time.LocalDateTime.parse(v);
                        } catch (java.time.format.DateTimeParseException e2) {
                            problems.add("'" + v + "' is not a valid date-time for field '" + c.field() + "'");
                        }
                    }
                } else if ("boolean".equals(type.path("type").asText()) && !v.equals("true") && !v.equals("false")) {
                    problems.add("'" + v + "' is not a valid boolean for field '" + c.field() + "'");
                }
            }
        }
        return problems;
    }
}
