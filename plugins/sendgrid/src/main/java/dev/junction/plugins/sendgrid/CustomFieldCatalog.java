package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;

import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the {@link DestinationField}s to SendGrid custom field ids. SendGrid takes custom field
 * values by id only ({@code ContactRequest.custom_fields}: "An object of custom field IDs and the
 * values"), and ids differ per account.
 *
 * <p>Resolved ids are kept in the installation's state under {@value #STATE_KEY}, so every replica
 * reuses them and a delivery whose fields are known makes no extra call. A field that is not known
 * is looked up with {@code GET /v3/marketing/field_definitions} by name (SendGrid's names are
 * case-insensitively unique) and created with {@code POST /v3/marketing/field_definitions} when it
 * does not exist. Only fields of the right type are cached: a field that exists with another type,
 * or that the key may not read or create, is a {@link Problem} that is looked up again on the next
 * delivery that needs it, so fixing it in SendGrid is enough. When SendGrid says a cached id is
 * unknown (someone deleted the field), {@link #refresh} looks the fields up again.
 */
final class CustomFieldCatalog {

    /** The state key of the cache: a JSON object of field name to {@code {"id","type"}}. */
    static final String STATE_KEY = "event_destination.custom_fields";
    private static final String PATH = "/v3/marketing/field_definitions";

    /**
     * Why a field cannot be written.
     *
     * @param reason     for the tenant: what is wrong and how to fix it
     * @param httpStatus SendGrid's status when SendGrid refused a call, else null
     */
    record Problem(String reason, Integer httpStatus) { }

    /** The usable fields' ids, and the problems of the others. */
    record Resolution(Map<DestinationField, String> ids, Map<DestinationField, Problem> problems) {

        static Resolution empty() {
            return new Resolution(Map.of(), Map.of());
        }

        /** The field this id belongs to, if it is one of ours. */
        Optional<DestinationField> fieldOfId(String id) {
            return ids.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).findFirst();
        }
    }

    /** A field definition as SendGrid lists it. */
    private record Definition(String id, String name, String type) { }

    private final ConnectorContext ctx;
    private final SendGridApi api;

    CustomFieldCatalog(ConnectorContext ctx, SendGridApi api) {
        this.ctx = ctx;
        this.api = api;
    }

    /** Resolves the fields, from the cache when it knows them all. */
    Resolution resolve(Set<DestinationField> wanted) throws ConnectorException {
        return resolve(wanted, cached());
    }

    /** Resolves the fields from SendGrid again, ignoring and then replacing their cached ids. */
    Resolution refresh(Set<DestinationField> wanted) throws ConnectorException {
        ctx.log().info("custom fields refreshed", "SendGrid did not accept a cached custom field id; looking the "
                + "event delivery's custom fields up again.");
        return resolve(wanted, Map.of());
    }

    private Resolution resolve(Set<DestinationField> wanted, Map<DestinationField, String> cache) throws ConnectorException {
        Map<DestinationField, String> ids = new EnumMap<>(DestinationField.class);
        Map<DestinationField, Problem> problems = new EnumMap<>(DestinationField.class);
        for (DestinationField field : wanted) {
            if (cache.containsKey(field)) {
                ids.put(field, cache.get(field));
            }
        }
        if (ids.size() == wanted.size()) {
            return new Resolution(ids, problems);
        }
        List<Definition> definitions;
        try {
            definitions = definitions();
        } catch (PermanentConnectorException e) {
            if (!"forbidden".equals(e.code()) && !"unexpected_response".equals(e.code())) {
                throw e;
            }
            for (DestinationField field : wanted) {
                if (!ids.containsKey(field)) {
                    problems.put(field, unusable(field, e.getMessage() + " Junction needs to read the custom field "
                            + describe(field) + ".", "forbidden".equals(e.code()) ? 403 : null));
                }
            }
            return new Resolution(ids, problems);
        }
        for (DestinationField field : wanted) {
            if (!ids.containsKey(field)) {
                Optional<Definition> found = named(definitions, field);
                if (found.isPresent()) {
                    check(field, found.get(), ids, problems);
                } else {
                    create(field, ids, problems);
                }
            }
        }
        store(wanted, ids);
        return new Resolution(ids, problems);
    }

    /** A field SendGrid has: usable when its type is the one we write. */
    private void check(DestinationField field, Definition found, Map<DestinationField, String> ids,
                       Map<DestinationField, Problem> problems) {
        if (field.type().wireName().equals(found.type())) {
            ids.put(field, found.id());
            return;
        }
        String reason = "SendGrid custom field \"" + found.name() + "\" (id " + found.id() + ") is a " + found.type()
                + " field, but Junction writes " + field.type().wireName() + " values to it. Delete or rename that "
                + "field in SendGrid (Marketing > Custom Fields) so that Junction can create \"" + field.fieldName()
                + "\" as a " + field.type().wireName() + " field, then replay the rejected events.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", found.name());
        details.put("field_id", found.id());
        details.put("actual_type", found.type());
        details.put("expected_type", field.type().wireName());
        ctx.log().record(EventLog.Level.ERROR, "custom field type mismatch", reason, details);
        problems.put(field, new Problem(reason, null));
    }

    private void create(DestinationField field, Map<DestinationField, String> ids,
                        Map<DestinationField, Problem> problems) throws ConnectorException {
        HttpResult r;
        try {
            // Marked idempotent so that a 5xx is retried: a retry after a create that did happen is
            // refused with a 400 (names are unique), after which the field is looked up below.
            r = api.send(SendGridApi.prompt(HttpCall.post(api.uri(PATH))).idempotent(true)
                    .json(ctx.json().write(Map.of("name", field.fieldName(), "field_type", field.type().wireName()))));
        } catch (PermanentConnectorException e) {
            if (!"forbidden".equals(e.code())) {
                throw e;
            }
            problems.put(field, unusable(field, e.getMessage() + " Junction needs to create the custom field "
                    + describe(field) + "; or create it in SendGrid yourself.", 403));
            return;
        }
        Optional<String> createdId = r.isSuccess() ? createdId(r) : Optional.empty();
        if (createdId.isPresent()) {
            String id = createdId.get();
            ids.put(field, id);
            ctx.log().record(EventLog.Level.INFO, "custom field created", "Created the SendGrid custom field "
                    + describe(field) + " for event delivery.", Map.of("field", field.fieldName(), "field_id", id,
                    "type", field.type().wireName()));
            return;
        }
        // A 400 when another replica created it meanwhile: look again before giving up.
        Optional<Definition> found = Optional.empty();
        if (r.status() == 400) {
            try {
                found = named(definitions(), field);
            } catch (PermanentConnectorException unreadable) {
                // reported below with SendGrid's answer to the create
            }
        }
        if (found.isPresent()) {
            check(field, found.get(), ids, problems);
        } else {
            problems.put(field, unusable(field, "SendGrid refused to create the custom field " + describe(field) + " ("
                    + r.status() + ": " + api.errorMessage(r) + "). Create it as a " + field.type().wireName()
                    + " field in SendGrid (Marketing > Custom Fields; an account has at most 500), then replay the "
                    + "rejected events.", r.status()));
        }
    }

    private Optional<String> createdId(HttpResult r) {
        try {
            if (ctx.json().parse(r.body()) instanceof Map<?, ?> created && created.get("id") instanceof String id) {
                return Optional.of(id);
            }
        } catch (IllegalArgumentException notJson) {
            // reported as a refusal
        }
        return Optional.empty();
    }

    private Problem unusable(DestinationField field, String reason, Integer httpStatus) {
        ctx.log().record(EventLog.Level.ERROR, "custom field unavailable", reason, Map.of("field", field.fieldName(),
                "expected_type", field.type().wireName()));
        return new Problem(reason, httpStatus);
    }

    private static String describe(DestinationField field) {
        return "\"" + field.fieldName() + "\" (" + field.type().wireName() + ")";
    }

    private List<Definition> definitions() throws ConnectorException {
        HttpResult r = api.send(SendGridApi.prompt(HttpCall.get(api.uri(PATH))));
        if (!r.isSuccess()) {
            throw api.unexpected("GET " + PATH, r);
        }
        if (!(api.object("GET " + PATH, r).get("custom_fields") instanceof Collection<?> fields)) {
            return List.of();  // the spec requires it; none defined
        }
        return fields.stream().filter(Map.class::isInstance).map(f -> (Map<?, ?>) f)
                .filter(f -> f.get("id") instanceof String && f.get("name") instanceof String)
                .map(f -> new Definition((String) f.get("id"), (String) f.get("name"), String.valueOf(f.get("field_type"))))
                .toList();
    }

    private static Optional<Definition> named(List<Definition> definitions, DestinationField field) {
        return definitions.stream().filter(d -> d.name().equalsIgnoreCase(field.fieldName())).findFirst();
    }

    // ------------------------------------------------------------------ cache

    private Map<DestinationField, String> cached() {
        Map<DestinationField, String> out = new EnumMap<>(DestinationField.class);
        stored().forEach((name, entry) -> {
            for (DestinationField field : DestinationField.values()) {
                if (field.fieldName().equals(name) && entry instanceof Map<?, ?> e && e.get("id") instanceof String id
                        && field.type().wireName().equals(e.get("type"))) {
                    out.put(field, id);
                }
            }
        });
        return out;
    }

    /** Writes the resolved fields and forgets the unusable ones, keeping other cached entries. */
    private void store(Set<DestinationField> wanted, Map<DestinationField, String> ids) {
        Map<String, Object> cache = new LinkedHashMap<>(stored());
        for (DestinationField field : wanted) {
            if (ids.containsKey(field)) {
                cache.put(field.fieldName(), Map.of("id", ids.get(field), "type", field.type().wireName()));
            } else {
                cache.remove(field.fieldName());
            }
        }
        ctx.state().put(STATE_KEY, ctx.json().writeString(cache));
    }

    private Map<String, Object> stored() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            if (ctx.state().get(STATE_KEY).map(ctx.json()::parse).orElse(null) instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k).toLowerCase(Locale.ROOT), v));
            }
        } catch (IllegalArgumentException notJson) {
            // a damaged cache is rebuilt from SendGrid
        }
        return out;
    }
}
