package dev.junction.platform.installation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.web.Problem;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An installation's config read through its connector's schema: which fields are secrets (kept in
 * the secret store, never in the installation row) and what the schema refuses.
 */
final class ConfigFields {

    private ConfigFields() {
    }

    /** The values of the secret fields the config holds (to mask them wherever text leaves). */
    static Set<String> secretValues(ConnectorEntry entry, JsonNode config) {
        Set<String> out = new LinkedHashSet<>();
        entry.schema().secretFields().forEach(f -> {
            if (config.hasNonNull(f)) {
                out.add(config.get(f).asText());
            }
        });
        return out;
    }

    /** The names of the secret fields the config holds. */
    static Set<String> presentSecretFields(ConnectorEntry entry, JsonNode config) {
        Set<String> out = new LinkedHashSet<>();
        entry.schema().secretFields().forEach(f -> {
            if (config.hasNonNull(f)) {
                out.add(f);
            }
        });
        return out;
    }

    /** The config without its secret fields: what the installation row keeps. */
    static ObjectNode nonSecret(ConnectorEntry entry, ObjectNode config) {
        ObjectNode out = config.deepCopy();
        entry.schema().secretFields().forEach(out::remove);
        return out;
    }

    /** The config's schema violations, as body field errors under {@code /config} (secret values masked). */
    static List<Problem.FieldError> violations(ConnectorEntry entry, JsonNode config) {
        if (!config.isObject()) {
            return List.of(Problem.FieldError.body("/config", "must be an object"));
        }
        return entry.schema().validate(config, secretValues(entry, config)).stream()
                .map(v -> Problem.FieldError.body("/config" + v.pointer(), v.message())).toList();
    }
}
