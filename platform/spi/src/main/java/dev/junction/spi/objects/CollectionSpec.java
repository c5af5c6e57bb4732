package dev.junction.spi.objects;

import java.util.List;
import java.util.Objects;

/**
 * A collection (table) of vendor objects.
 *
 * @param name      table name, {@code ^[a-z][a-z0-9_]{0,62}$}
 * @param keyColumn the column holding the vendor's id (the primary key)
 * @param columns   typed columns; the platform adds {@code raw jsonb}, {@code synced_at} and {@code deleted_at}
 * @since 1.0
 */
public record CollectionSpec(String name, String keyColumn, List<ColumnSpec> columns) {
    public CollectionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyColumn, "keyColumn");
        columns = List.copyOf(columns);
        if (columns.stream().noneMatch(c -> c.name().equals(keyColumn))) {
            throw new IllegalArgumentException("key column " + keyColumn + " is not among the columns of " + name);
        }
    }
}
