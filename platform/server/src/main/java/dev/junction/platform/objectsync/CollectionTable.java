package dev.junction.platform.objectsync;

import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ColumnSpec;
import dev.junction.spi.objects.ColumnSpec.ColumnType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A collection as a table: a connector's {@link CollectionSpec}, checked so that it can become
 * SQL. Besides the connector's columns every table has {@code raw jsonb} (the vendor's object),
 * {@code synced_at} (the start of the sync pass that last emitted the row) and {@code deleted_at}
 * (set when a complete pass did not emit it; cleared when it comes back).
 *
 * @param columns the connector's columns in its order, the key column among them
 */
record CollectionTable(String name, String keyColumn, List<ColumnSpec> columns) {

    /** Columns the platform adds to every collection table. */
    static final Set<String> PLATFORM_COLUMNS = Set.of("raw", "synced_at", "deleted_at");
    /** The table of webhook events, in the schema of installations whose connector is also an event source. */
    static final String EVENTS_TABLE = "events";
    private static final int MAX_COLLECTIONS = 200;
    private static final int MAX_COLUMNS = 1000;

    CollectionTable {
        columns = List.copyOf(columns);
    }

    /** A connector's collections that cannot become tables: the message names every problem. */
    static final class InvalidCollectionsException extends RuntimeException {
        InvalidCollectionsException(List<String> problems) {
            super(String.join("; ", problems));
        }
    }

    /**
     * Checks a connector's collections: valid, distinct names (collections, and columns within
     * each), none of the platform's own columns, a key column of type text or bigint (keys are
     * compared and paged by), and no collection named {@value #EVENTS_TABLE} where that table holds
     * the installation's webhook events.
     */
    static List<CollectionTable> of(List<CollectionSpec> specs, boolean withEventsTable) {
        List<String> problems = new ArrayList<>();
        if (specs == null) {
            throw new InvalidCollectionsException(List.of("collections() returned null"));
        }
        if (specs.size() > MAX_COLLECTIONS) {
            problems.add("more than " + MAX_COLLECTIONS + " collections");
        }
        Set<String> names = new HashSet<>();
        List<CollectionTable> tables = new ArrayList<>();
        for (CollectionSpec spec : specs) {
            if (spec == null) {
                problems.add("a collection is null");
                continue;
            }
            String name = spec.name();
            if (!SqlIdentifier.valid(name)) {
                problems.add("collection name '" + name + "' does not match " + SqlIdentifier.PATTERN);
                continue;
            }
            if (!names.add(name)) {
                problems.add("collection " + name + " is declared twice");
            }
            if (withEventsTable && name.equals(EVENTS_TABLE)) {
                problems.add("collection name " + EVENTS_TABLE + " is taken by the webhook events table");
            }
            Set<String> columnNames = new HashSet<>();
            if (spec.columns().size() > MAX_COLUMNS) {
                problems.add(name + ": more than " + MAX_COLUMNS + " columns");
            }
            for (ColumnSpec c : spec.columns()) {
                if (!SqlIdentifier.valid(c.name())) {
                    problems.add(name + ": column name '" + c.name() + "' does not match " + SqlIdentifier.PATTERN);
                } else if (PLATFORM_COLUMNS.contains(c.name())) {
                    problems.add(name + ": column " + c.name() + " is one the platform adds itself");
                } else if (!columnNames.add(c.name())) {
                    problems.add(name + ": column " + c.name() + " is declared twice");
                }
            }
            ColumnType keyType = spec.columns().stream().filter(c -> c.name().equals(spec.keyColumn()))
                    .map(ColumnSpec::type).findFirst().orElse(null);
            if (keyType != ColumnType.TEXT && keyType != ColumnType.BIGINT) {
                problems.add(name + ": key column " + spec.keyColumn() + " must be of type TEXT or BIGINT");
            }
            tables.add(new CollectionTable(name, spec.keyColumn(), spec.columns()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCollectionsException(problems);
        }
        return List.copyOf(tables);
    }

    ColumnType keyType() {
        return columns.stream().filter(c -> c.name().equals(keyColumn)).findFirst().orElseThrow().type();
    }

    /** The PostgreSQL type of a column type, as {@code format_type} spells it. */
    static String sqlType(ColumnType type) {
        return switch (type) {
            case TEXT -> "text";
            case BIGINT -> "bigint";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case TIMESTAMP -> "timestamp with time zone";
            case JSON -> "jsonb";
            case TEXT_ARRAY -> "text[]";
        };
    }

    /** The columns as stored and shown: name and type ({@code text}, {@code text_array}, ...), in order. */
    List<Map<String, String>> columnsView() {
        return columns.stream().map(c -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("type", c.type().name().toLowerCase(Locale.ROOT));
            return m;
        }).toList();
    }

    /** The inverse of {@link #columnsView()}. */
    static List<ColumnSpec> columnsOf(List<Map<String, String>> view) {
        return view.stream().map(m -> new ColumnSpec(m.get("name"), ColumnType.valueOf(m.get("type").toUpperCase(Locale.ROOT))))
                .toList();
    }
}
