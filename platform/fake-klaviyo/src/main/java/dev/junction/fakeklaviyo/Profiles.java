package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The profiles of the fake account and Klaviyo's create-or-update rules: a profile is found by id, else e-mail
 * (case-insensitive), else external_id, else phone number; an attribute given as {@code null} is cleared, an
 * absent one kept; properties merge key by key. Writers synchronize on this object.
 */
final class Profiles {
    /** G3: a plain address check (Klaviyo does not publish its rules). */
    static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*"
            + "\\.[A-Za-z]{2,}$");
    /** G4: E.164. */
    static final Pattern PHONE = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    static final List<String> TEXT_ATTRIBUTES = List.of("first_name", "last_name", "organization", "locale", "title",
            "image");

    /** A stored profile (mutable, guarded by the {@link Profiles} lock). */
    static final class Profile {
        final String id;
        final Instant created;
        Instant updated;
        String email;
        String phone;
        String externalId;
        final Map<String, String> text = new java.util.TreeMap<>();
        ObjectNode location;
        ObjectNode properties = JsonApi.object();
        String emailConsent = "NEVER_SUBSCRIBED";
        Instant emailConsentAt;

        Profile(String id, Instant created) {
            this.id = id;
            this.created = created;
            this.updated = created;
        }

        FakeProfile snapshot() {
            return new FakeProfile(id, email, phone, externalId, Map.copyOf(text), properties.deepCopy(),
                    emailConsent, emailConsentAt, created, updated);
        }
    }

    /** The result of a create-or-update. */
    record Upsert(Profile profile, boolean created) {}

    private final AtomicLong sequence = new AtomicLong();
    final NavigableMap<String, Profile> byId = new ConcurrentSkipListMap<>();
    private final Map<String, String> byEmail = new ConcurrentHashMap<>();
    private final Map<String, String> byExternalId = new ConcurrentHashMap<>();
    private final Map<String, String> byPhone = new ConcurrentHashMap<>();

    /** Ids sort in creation order (like Klaviyo's ULIDs), so id cursors page stably. */
    String nextId() {
        return String.format("01KFAKE%019d", sequence.incrementAndGet());
    }

    Profile get(String id) {
        return byId.get(id);
    }

    Profile byEmail(String email) {
        String id = email == null ? null : byEmail.get(email.toLowerCase(Locale.ROOT));
        return id == null ? null : byId.get(id);
    }

    Profile byExternalId(String externalId) {
        String id = externalId == null ? null : byExternalId.get(externalId);
        return id == null ? null : byId.get(id);
    }

    int size() {
        return byId.size();
    }

    synchronized void clear() {
        byId.clear();
        byEmail.clear();
        byExternalId.clear();
        byPhone.clear();
    }

    /**
     * Checks the identifiers of a profile's attributes: e-mail and phone syntax, and that at least one identifier
     * (or the id) is there. Throws with a pointer below {@code base}.
     */
    static void checkIdentifiers(String id, JsonNode attributes, String base) {
        String email = JsonApi.text(attributes, "email");
        if (email != null && (email.length() > 254 || !EMAIL.matcher(email.trim()).matches())) {
            throw ApiException.invalid("Invalid email address: '" + email + "'.", base + "/email");
        }
        String phone = JsonApi.text(attributes, "phone_number");
        if (phone != null && !PHONE.matcher(phone).matches()) {
            throw ApiException.invalid("Invalid phone number format (Example of a valid format: +12345678901).",
                    base + "/phone_number");
        }
        if (id == null && email == null && phone == null && JsonApi.text(attributes, "external_id") == null
                && JsonApi.text(attributes, "anonymous_id") == null) {
            throw ApiException.invalid("One of `email`, `phone_number`, `external_id` or an id is required.", base);
        }
    }

    /** Create-or-update by the identifiers in {@code attributes} (already checked). */
    synchronized Upsert upsert(String id, JsonNode attributes, JsonNode meta, Instant now) {
        Profile found = resolve(id, attributes);
        boolean created = found == null;
        Profile p = created ? new Profile(nextId(), now) : found;
        String email = JsonApi.text(attributes, "email");
        if (attributes.has("email")) {
            setEmail(p, email == null ? null : email.trim().toLowerCase(Locale.ROOT));
        }
        if (attributes.has("external_id")) {
            reindex(byExternalId, p.externalId, JsonApi.text(attributes, "external_id"), p.id);
            p.externalId = JsonApi.text(attributes, "external_id");
        }
        if (attributes.has("phone_number")) {
            reindex(byPhone, p.phone, JsonApi.text(attributes, "phone_number"), p.id);
            p.phone = JsonApi.text(attributes, "phone_number");
        }
        for (String name : TEXT_ATTRIBUTES) {
            if (attributes.has(name)) {
                String v = JsonApi.text(attributes, name);
                if (v == null) {
                    p.text.remove(name);
                } else {
                    p.text.put(name, v);
                }
            }
        }
        if (attributes.has("location")) {
            p.location = attributes.get("location").isObject() ? (ObjectNode) attributes.get("location").deepCopy()
                    : null;
        }
        JsonNode props = attributes.path("properties");
        if (attributes.has("properties") && props.isNull()) {
            p.properties = JsonApi.object();
        } else if (props.isObject()) {
            props.fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    p.properties.remove(e.getKey());
                } else {
                    p.properties.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
        JsonNode unset = meta == null ? null : meta.path("patch_properties").path("unset");
        if (unset != null && unset.isTextual()) {
            p.properties.remove(unset.asText());
        } else if (unset != null && unset.isArray()) {
            unset.forEach(u -> p.properties.remove(u.asText()));
        }
        p.updated = now;
        byId.put(p.id, p);
        return new Upsert(p, created);
    }

    private Profile resolve(String id, JsonNode attributes) {
        Profile byIdHit = id == null ? null : byId.get(id);
        if (id != null && byIdHit == null) {
            throw ApiException.notFound("A profile with id '" + id + "' does not exist.");
        }
        Profile byMail = byEmail(JsonApi.text(attributes, "email"));
        Profile byExt = byExternalId(JsonApi.text(attributes, "external_id"));
        String phone = JsonApi.text(attributes, "phone_number");
        Profile byTel = phone == null || byPhone.get(phone) == null ? null : byId.get(byPhone.get(phone));
        Profile first = null;
        for (Profile candidate : new Profile[] {byIdHit, byMail, byExt, byTel}) {
            if (candidate == null) {
                continue;
            }
            if (first != null && first != candidate) {
                // Klaviyo answers 409 duplicate_profile when identifiers belong to different profiles.
                throw new ApiException(new JsonApi.ApiError(409, "duplicate_profile", "Conflict.",
                        "A profile already exists with one of these identifiers: " + candidate.id + ".",
                        "/data/attributes", null));
            }
            first = candidate;
        }
        return first;
    }

    private void setEmail(Profile p, String email) {
        reindex(byEmail, p.email, email, p.id);
        p.email = email;
    }

    private static void reindex(Map<String, String> index, String old, String value, String id) {
        if (old != null) {
            index.remove(old, id);
        }
        if (value != null) {
            index.put(value, id);
        }
    }

    /** Seeds a profile without HTTP (tests and benchmarks). */
    synchronized Profile seed(String email, String externalId, Map<String, String> text, Instant now) {
        ObjectNode attributes = JsonApi.object();
        if (email != null) {
            attributes.put("email", email);
        }
        if (externalId != null) {
            attributes.put("external_id", externalId);
        }
        text.forEach(attributes::put);
        checkIdentifiers(null, attributes, "/data/attributes");
        return upsert(null, attributes, null, now).profile();
    }

    /** Sets e-mail marketing consent (subscription job or seeding). */
    synchronized void consent(Profile p, String consent, Instant at) {
        p.emailConsent = consent;
        p.emailConsentAt = at;
        p.updated = at;
    }
}
