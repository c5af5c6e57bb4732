package dev.junction.fakesendgrid;

import java.util.Locale;

/** The type of a SendGrid custom field, as {@code field_type} names it on the wire. */
public enum FieldType {
    /** {@code "Text"}: values must be JSON strings. */
    TEXT("Text"),
    /** {@code "Number"}: values must be JSON numbers or strings that parse as a number. */
    NUMBER("Number"),
    /** {@code "Date"}: values must be ISO-8601 dates or date-times, or {@code MM/DD/YYYY}. */
    DATE("Date");

    private final String wireName;

    FieldType(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name SendGrid uses in JSON ({@code Text}, {@code Number}, {@code Date}).
     *
     * @return the wire name
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @param wireName {@code Text}, {@code Number} or {@code Date} (exact case, as the spec's enum)
     * @return the type
     * @throws IllegalArgumentException for any other value
     */
    public static FieldType fromWireName(String wireName) {
        for (FieldType t : values()) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown field_type " + wireName);
    }

    /** The one-letter suffix SendGrid puts on field ids ({@code e1_T}, {@code e2_N}, {@code e3_D}). */
    String idSuffix() {
        return wireName.substring(0, 1).toUpperCase(Locale.ROOT);
    }
}
