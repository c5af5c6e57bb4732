package dev.junction.platform.objectsync;

import java.util.regex.Pattern;

/**
 * Names that end up in SQL text: schemas, tables and columns of object sync, which come from
 * tenants and plugins. Only names of this shape are ever put into a statement, and always quoted,
 * so a name can neither break out of its quotes nor change case or meaning.
 */
final class SqlIdentifier {

    /** Lower-case ASCII letter first, then letters, digits and underscores; PostgreSQL's 63-byte limit. */
    static final Pattern PATTERN = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");

    private SqlIdentifier() {
    }

    static boolean valid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /** {@code "name"}; refuses anything that is not a valid identifier. */
    static String quote(String name) {
        if (!valid(name)) {
            throw new IllegalArgumentException("not a safe SQL identifier: " + name);
        }
        return '"' + name + '"';
    }

    /** {@code "schema"."name"}. */
    static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
