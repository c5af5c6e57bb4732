package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One contact of a {@code PUT /v3/marketing/contacts} body, checked as SendGrid checks it. */
final class ContactParser {
    private ContactParser() {}

    /**
     * Checks one contact of an upsert (JSON object from the request) and turns it into an input;
     * throws IllegalArgumentException with the per-contact error message.
     */
    static Store.ContactInput parse(JsonNode node, Map<String, Store.FieldDef> fields) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("contact must be an object");
        }
        JsonNode emailNode = node.get("email");
        if (emailNode == null || emailNode.isNull() || (emailNode.isTextual() && emailNode.asText().isBlank())) {
            throw new IllegalArgumentException("email is required: the fake stores contacts keyed by email only"
                    + " (phone_number_id, external_id and anonymous_id alone are not modeled)");
        }
        if (!emailNode.isTextual()) {
            throw new IllegalArgumentException("email must be a string");
        }
        String email = EmailAddresses.normalise(emailNode.asText());
        String problem = EmailAddresses.problem(email);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": '" + emailNode.asText() + "'");
        }
        Map<Reserved, String> reserved = new java.util.EnumMap<>(Reserved.class);
        String[] alternates = null;
        Map<String, Object> custom = null;
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals("email") || v.isNull()) {
                continue;
            }
            if (key.equals("custom_fields")) {
                if (!v.isObject()) {
                    throw new IllegalArgumentException("custom_fields must be an object");
                }
                custom = new LinkedHashMap<>();
                var cf = v.fields();
                while (cf.hasNext()) {
                    var c = cf.next();
                    Store.FieldDef def = fields.get(c.getKey());
                    if (def == null) {
                        throw new IllegalArgumentException("custom field ID '" + c.getKey() + "' does not exist");
                    }
                    if (!c.getValue().isNull()) {
                        custom.put(def.id(), FieldValues.coerce(def, c.getValue()));
                    }
                }
                continue;
            }
            if (key.equals("alternate_emails")) {
                if (!v.isArray()) {
                    throw new IllegalArgumentException("alternate_emails must be an array of strings");
                }
                List<String> alt = new ArrayList<>();
                for (JsonNode a : v) {
                    String n = EmailAddresses.normalise(a.asText());
                    String p = EmailAddresses.problem(n);
                    if (p != null) {
                        throw new IllegalArgumentException("alternate_emails: " + p + ": '" + a.asText() + "'");
                    }
                    alt.add(n);
                }
                alternates = alt.toArray(String[]::new);
                continue;
            }
            Reserved r = Reserved.BY_WIRE.get(key);
            if (r != null) {
                if (!v.isValueNode()) {
                    throw new IllegalArgumentException(key + " must be a string");
                }
                reserved.put(r, v.asText());
            }
            // Unknown top-level keys are ignored, as SendGrid's schema allows additional properties.
        }
        return new Store.ContactInput(email, reserved, alternates, custom);
    }

    /** A seeded contact ({@link FakeSendGrid#seedContacts}), checked as the API would check it. */
    static Store.ContactInput fromSeed(ContactSeed seed, Store store) {
        String email = EmailAddresses.normalise(seed.email());
        String problem = EmailAddresses.problem(email);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": '" + seed.email() + "'");
        }
        Map<Reserved, String> reserved = new java.util.EnumMap<>(Reserved.class);
        Map<String, Object> custom = null;
        String[] alternates = null;
        for (var e : seed.fields().entrySet()) {
            Reserved r = Reserved.BY_WIRE.get(e.getKey());
            if (r != null) {
                reserved.put(r, String.valueOf(e.getValue()));
            } else if (e.getKey().equals("alternate_emails")) {
                @SuppressWarnings("unchecked")
                Collection<String> alt = (Collection<String>) e.getValue();
                alternates = alt.stream().map(EmailAddresses::normalise).toArray(String[]::new);
            } else {
                Store.FieldDef def = store.fieldByNameOrId(e.getKey());
                if (def == null) {
                    throw new IllegalArgumentException("no reserved or custom field named " + e.getKey());
                }
                if (custom == null) {
                    custom = new java.util.HashMap<>();
                }
                custom.put(def.id(), FieldValues.coerce(def, Json.MAPPER.valueToTree(e.getValue())));
            }
        }
        return new Store.ContactInput(email, reserved, alternates, custom);
    }
}
