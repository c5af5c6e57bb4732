package dev.junction.runtime.schema;

import java.util.List;

/** A connector's config schema breaks the JSON Schema meta-schema or our rules. */
public final class InvalidConfigSchemaException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigSchemaException(List<String> problems) {
        super("invalid config schema: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
