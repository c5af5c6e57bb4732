package dev.junction.spi.objects;

import java.util.Objects;

/**
 * A typed column of a {@link CollectionSpec}.
 *
 * @param name column name, {@code ^[a-z][a-z0-9_]{0,62}$}
 * @param type its type
 * @since 1.0
 */
public record ColumnSpec(String name, ColumnType type) {

    /** Column types, mapped to PostgreSQL types by the platform. */
    public enum ColumnType { TEXT, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, JSON, TEXT_ARRAY }

    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
