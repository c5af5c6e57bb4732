package dev.junction.plugins.sendgrid;

import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ColumnSpec;
import dev.junction.spi.objects.ColumnSpec.ColumnType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables SendGrid object sync fills, and how a SendGrid object becomes a row: column values are
 * JSON-compatible Java values, timestamps {@link Instant}s, arrays {@code List<String>}; an empty
 * string (how SendGrid's API shows an unset field) becomes null. The platform keeps the vendor's
 * whole object in {@code raw}.
 */
final class SendGridCollections {

    static final String LISTS = "lists";
    static final String CONTACTS = "contacts";
    static final String FIELD_DEFINITIONS = "custom_field_definitions";
    static final String SEGMENTS = "segments";
    static final String LIST_MEMBERSHIPS = "list_memberships";

    /** Contact fields copied as text, as SendGrid's reserved fields name them. */
    static final List<String> CONTACT_TEXT_FIELDS = List.of("email", "first_name", "last_name", "phone_number",
            "phone_number_id", "external_id", "anonymous_id", "address_line_1", "address_line_2", "city",
            "state_province_region", "postal_code", "country", "whatsapp", "line", "facebook", "unique_name");

    static final CollectionSpec LISTS_SPEC = new CollectionSpec(LISTS, "id", List.of(
            text("id"), text("name"), column("contact_count", ColumnType.BIGINT)));

    static final CollectionSpec CONTACTS_SPEC = new CollectionSpec(CONTACTS, "id", contactColumns());

    static final CollectionSpec FIELD_DEFINITIONS_SPEC = new CollectionSpec(FIELD_DEFINITIONS, "id", List.of(
            text("id"), text("name"), text("field_type"), column("reserved", ColumnType.BOOLEAN),
            column("read_only", ColumnType.BOOLEAN)));

    static final CollectionSpec SEGMENTS_SPEC = new CollectionSpec(SEGMENTS, "id", List.of(
            text("id"), text("name"), column("contacts_count", ColumnType.BIGINT),
            column("parent_list_ids", ColumnType.TEXT_ARRAY), text("query_dsl"), text("query_version"),
            text("query_validation"), timestamp("created_at"), timestamp("updated_at"),
            timestamp("sample_updated_at"), timestamp("next_sample_update")));

    static final CollectionSpec LIST_MEMBERSHIPS_SPEC = new CollectionSpec(LIST_MEMBERSHIPS, "id", List.of(
            text("id"), text("list_id"), text("contact_id")));

    /** In the order a pass fills them. */
    static final List<CollectionSpec> ALL = List.of(FIELD_DEFINITIONS_SPEC, LISTS_SPEC, SEGMENTS_SPEC, CONTACTS_SPEC,
            LIST_MEMBERSHIPS_SPEC);

    private SendGridCollections() {
    }

    private static List<ColumnSpec> contactColumns() {
        List<ColumnSpec> columns = new ArrayList<>();
        columns.add(text("id"));
        CONTACT_TEXT_FIELDS.forEach(f -> columns.add(text(f)));
        columns.add(column("alternate_emails", ColumnType.TEXT_ARRAY));
        columns.add(column("list_ids", ColumnType.TEXT_ARRAY));
        columns.add(column("segment_ids", ColumnType.TEXT_ARRAY));
        columns.add(column("custom_fields", ColumnType.JSON));
        columns.add(timestamp("created_at"));
        columns.add(timestamp("updated_at"));
        return List.copyOf(columns);
    }

    private static ColumnSpec text(String name) {
        return new ColumnSpec(name, ColumnType.TEXT);
    }

    private static ColumnSpec timestamp(String name) {
        return new ColumnSpec(name, ColumnType.TIMESTAMP);
    }

    private static ColumnSpec column(String name, ColumnType type) {
        return new ColumnSpec(name, type);
    }

    // ------------------------------------------------------------------ rows

    /** A list of {@code GET /v3/marketing/lists}, or null without an id. */
    static Map<String, Object> list(Map<?, ?> l) {
        String id = text(l.get("id"));
        if (id == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", text(l.get("name")));
        row.put("contact_count", integer(l.get("contact_count")));
        return row;
    }

    /** A field of {@code GET /v3/marketing/field_definitions}, or null without an id. */
    static Map<String, Object> fieldDefinition(Map<?, ?> f, boolean reserved) {
        String id = text(f.get("id"));
        if (id == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", text(f.get("name")));
        row.put("field_type", text(f.get("field_type")));
        row.put("reserved", reserved);
        row.put("read_only", f.get("read_only") instanceof Boolean b ? b : Boolean.FALSE);
        return row;
    }

    /** A segment of {@code GET /v3/marketing/segments/2.0/{id}}, or null without an id. */
    static Map<String, Object> segment(Map<?, ?> s) {
        String id = text(s.get("id"));
        if (id == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", text(s.get("name")));
        row.put("contacts_count", integer(s.get("contacts_count")));
        row.put("parent_list_ids", texts(s.get("parent_list_ids")));
        row.put("query_dsl", text(s.get("query_dsl")));
        row.put("query_version", text(s.get("query_version")));
        row.put("query_validation", s.get("status") instanceof Map<?, ?> status ? text(status.get("query_validation")) : null);
        for (String t : List.of("created_at", "updated_at", "sample_updated_at", "next_sample_update")) {
            row.put(t, instant(s.get(t)));
        }
        return row;
    }

    /**
     * A contact: a line of a JSON export ({@code contact_id}) or a contact of the API ({@code id}), or
     * null without an id. {@code list_ids} and {@code segment_ids} are null when the object does not
     * carry them (SendGrid's exports do not document them).
     */
    static Map<String, Object> contact(Map<?, ?> c) {
        String id = contactId(c);
        if (id == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        for (String f : CONTACT_TEXT_FIELDS) {
            row.put(f, text(c.get(f)));
        }
        row.put("alternate_emails", texts(c.get("alternate_emails")));
        row.put("list_ids", texts(c.get("list_ids")));
        row.put("segment_ids", texts(c.get("segment_ids")));
        row.put("custom_fields", c.get("custom_fields") instanceof Map<?, ?> m ? stringKeys(m) : null);
        row.put("created_at", instant(c.get("created_at")));
        row.put("updated_at", instant(c.get("updated_at")));
        return row;
    }

    /** A contact's id: {@code contact_id} in exports, {@code id} elsewhere. */
    static String contactId(Map<?, ?> c) {
        String id = text(c.get("contact_id"));
        return id != null ? id : text(c.get("id"));
    }

    /** One list membership, keyed {@code <list_id>:<contact_id>}. */
    static Map<String, Object> membership(String listId, String contactId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", listId + ":" + contactId);
        row.put("list_id", listId);
        row.put("contact_id", contactId);
        return row;
    }

    /** A JSON object as the {@code Map<String, Object>} the sink takes. */
    static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    // ------------------------------------------------------------------ values

    /** A scalar as text (numbers without exponent), "" and anything else as null. */
    static String text(Object v) {
        if (v instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return null;
    }

    /** A whole number as a Long, or null. */
    static Long integer(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException notWhole) {
                return null;
            }
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
            return d.longValue();
        }
        return null;
    }

    /** An array of strings, or a comma-separated string (as CSV exports join them), as a list; else null. */
    static List<String> texts(Object v) {
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>(l.size());
            for (Object x : l) {
                String s = text(x);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }
        if (v instanceof String s && !s.isBlank()) {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }
        return null;
    }

    /** An ISO-8601 timestamp ({@code 2021-02-01T12:35:22Z}, with fractions or an offset) as an Instant, else null. */
    static Instant instant(Object v) {
        if (!(v instanceof String s) || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException notZulu) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException unreadable) {
                return null;  // the raw object keeps what SendGrid sent
            }
        }
    }
}
