package dev.junction.fakesendgrid;

import java.util.Objects;

/**
 * A custom field definition of the fake account.
 *
 * @param id the field id SendGrid generates (for example {@code e1_T}); contacts carry custom field values by this id
 * @param name the field name (letters, digits and underscores; case-insensitively unique)
 * @param type the field type
 */
public record CustomField(String id, String name, FieldType type) {
    /**
     * Creates a field definition snapshot; no component may be null.
     *
     * @param id the field id
     * @param name the field name
     * @param type the field type
     */
    public CustomField {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
