package dev.junction.plugins.klaviyo;

import dev.junction.spi.EventLog;
import dev.junction.spi.destination.DeliveryOutcome;
import dev.junction.spi.destination.Consent;
import dev.junction.spi.destination.DestinationEvent;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one event into the Klaviyo request that delivers it, or into an outcome without a request.
 * The checks run in this order: the event type is mapped, the user's marketing consent allows it,
 * its e-mail (if any) is valid, the event names a profile Klaviyo can key (e-mail, user id, or for
 * identify a phone).
 *
 * <ul>
 *   <li>identify → {@code POST /api/profile-import}: e-mail, {@code external_id} = user id, first and
 *       last name, phone in E.164, every other trait as a custom property. A trait present with
 *       {@code null} is sent as {@code null}, which Klaviyo reads as "clear"; an absent trait is not
 *       sent, which Klaviyo reads as "keep" (spec, create_or_update_profile).</li>
 *   <li>track → {@code POST /api/events}: metric = event name, {@code unique_id} = event id, properties
 *       as sent; for {@code Order Completed} {@code value} = revenue (else total) and
 *       {@code value_currency} = currency.</li>
 *   <li>page → the same as a track event named {@value #VIEWED_PAGE}.</li>
 * </ul>
 */
final class KlaviyoEventMapping {

    /** The config setting: whether events without marketing consent data are sent (default false, config-schema.json). */
    static final String SEND_WITHOUT_CONSENT = "send_events_without_consent";
    static final String ORDER_COMPLETED = "Order Completed";
    static final String VIEWED_PAGE = "Viewed Page";
    static final String PROFILE_IMPORT = "/api/profile-import";
    static final String EVENTS = "/api/events";

    /** Traits that become Klaviyo profile attributes or identifiers, not custom properties. */
    private static final Set<String> ATTRIBUTE_TRAITS = Set.of("email", "firstName", "first_name", "lastName",
            "last_name", "phone");
    /** Klaviyo keeps phone numbers in E.164; the spaces, dots, dashes and brackets people write are dropped. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().\\-/]");
    /**
     * What Klaviyo takes as an e-mail: a dot-atom local part, a domain of labels and a top-level label
     * of two or more letters, at most 254 characters. Klaviyo's spec gives no rule; this is the
     * fake's reading (G3, platform/fake-klaviyo/README.md). Checked here so that such an event is
     * rejected without a request Klaviyo would refuse.
     */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    private static final int MAX_EMAIL_LENGTH = 254;

    /** A request to send, or the outcome of an event that needs none. */
    record Mapped(String path, Map<String, Object> document, DeliveryOutcome outcome) {

        static Mapped settled(DeliveryOutcome outcome) {
            return new Mapped(null, null, outcome);
        }
    }

    private final boolean sendWithoutConsent;
    private final EventLog log;

    KlaviyoEventMapping(boolean sendWithoutConsent, EventLog log) {
        this.sendWithoutConsent = sendWithoutConsent;
        this.log = log;
    }

    Mapped map(DestinationEvent event) {
        String type = event.type().wireName();  // a later SPI minor may add types: they are filtered below
        if (!type.equals("identify") && !type.equals("track") && !type.equals("page")) {
            return Mapped.settled(DeliveryOutcome.filtered(event.id(), "\"" + type
                    + "\" events are not mapped to Klaviyo (only identify, track and page are)."));
        }
        var consent = event.consent().granted(Consent.MARKETING);
        if (consent.isPresent() && !consent.get()) {
            return Mapped.settled(DeliveryOutcome.filtered(event.id(), "The user refused marketing consent "
                    + "(the event's consent for the " + Consent.MARKETING + " category is false); Klaviyo is a marketing destination."));
        }
        if (consent.isEmpty() && !sendWithoutConsent) {
            return Mapped.settled(DeliveryOutcome.filtered(event.id(), "The event has no consent data for the marketing "
                    + "category, and this installation sends only events with marketing consent (" + SEND_WITHOUT_CONSENT
                    + " is false)."));
        }
        String email = event.email();
        if (email != null && (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches())) {
            return Mapped.settled(DeliveryOutcome.rejected(event.id(), "\"" + email + "\" is not an e-mail address "
                    + "Klaviyo takes; the event was not sent. Correct the user's e-mail, then replay it.", null));
        }
        Map<String, Object> identifiers = identifiers(event);
        if (type.equals("identify")) {
            Map<String, Object> attributes = profileAttributes(event, identifiers);
            if (!hasIdentifier(attributes)) {
                return noProfile(event);
            }
            return new Mapped(PROFILE_IMPORT, Map.of("data", Map.of("type", "profile", "attributes", attributes)), null);
        }
        if (identifiers.isEmpty()) {
            return noProfile(event);
        }
        String metric = type.equals("page") ? VIEWED_PAGE : event.event();
        if (metric == null || metric.isBlank()) {
            return Mapped.settled(DeliveryOutcome.skipped(event.id(), "The track event has no event name to use as "
                    + "Klaviyo's metric name."));
        }
        return new Mapped(EVENTS, Map.of("data", Map.of("type", "event", "attributes",
                eventAttributes(event, type, metric.strip(), identifiers))), null);
    }

    private static Mapped noProfile(DestinationEvent event) {
        return Mapped.settled(DeliveryOutcome.skipped(event.id(), "No e-mail, user id or phone known for "
                + (event.anonymousId() != null ? "anonymous user " + event.anonymousId() : "this event")
                + ": a Klaviyo profile needs one of them."));
    }

    private static boolean hasIdentifier(Map<String, Object> attributes) {
        return attributes.get("email") != null || attributes.get("external_id") != null
                || attributes.get("phone_number") != null;
    }

    /** E-mail (as the platform resolved it) and external id = user id: how events find their profile. */
    private static Map<String, Object> identifiers(DestinationEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (event.email() != null) {
            out.put("email", event.email());
        }
        if (event.userId() != null && !event.userId().isBlank()) {
            out.put("external_id", event.userId());
        }
        return out;
    }

    private Map<String, Object> profileAttributes(DestinationEvent event, Map<String, Object> identifiers) {
        Map<String, Object> traits = event.traits();
        Map<String, Object> attributes = new LinkedHashMap<>(identifiers);
        name(traits, "firstName", "first_name", attributes);
        name(traits, "lastName", "last_name", attributes);
        if (traits.containsKey("phone")) {
            Object phone = traits.get("phone");
            String e164 = phone == null ? null : e164(String.valueOf(phone));
            if (phone == null) {
                attributes.put("phone_number", null);  // cleared, as any trait set to null
            } else if (e164 != null) {
                attributes.put("phone_number", e164);
            } else {
                log.record(EventLog.Level.WARNING, "phone not sent", "The phone of event " + event.id() + " is not an "
                        + "international number (E.164, such as +14155550100), which Klaviyo requires; the profile is "
                        + "updated without it.", Map.of("event_id", event.id()));
            }
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        traits.forEach((key, value) -> {
            if (!ATTRIBUTE_TRAITS.contains(key)) {
                properties.put(key, value);  // a null value removes the property in Klaviyo
            }
        });
        if (!properties.isEmpty()) {
            attributes.put("properties", properties);
        }
        return attributes;
    }

    /** A name trait in Segment's spelling or snake case, kept as null when present and null (clear). */
    private static void name(Map<String, Object> traits, String camel, String snake, Map<String, Object> attributes) {
        String key = traits.containsKey(camel) ? camel : traits.containsKey(snake) ? snake : null;
        if (key != null) {
            Object value = traits.get(key);
            attributes.put(snake, value == null ? null : String.valueOf(value));
        }
    }

    private static Map<String, Object> eventAttributes(DestinationEvent event, String type, String metric,
                                                       Map<String, Object> identifiers) {
        Map<String, Object> properties = new LinkedHashMap<>(event.properties());
        if (type.equals("page") && event.event() != null && !properties.containsKey("name")) {
            properties.put("name", event.event());
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("properties", properties);
        if (event.timestamp() != null) {
            attributes.put("time", event.timestamp().toString());
        }
        // Klaviyo drops an event whose unique_id it has seen for the same profile and metric: a replayed
        // batch (at-least-once delivery) never counts an event twice.
        attributes.put("unique_id", event.id());
        if (ORDER_COMPLETED.equals(metric)) {
            BigDecimal value = decimal(event.properties().get("revenue"));
            if (value == null) {
                value = decimal(event.properties().get("total"));
            }
            if (value != null) {
                attributes.put("value", value);
                if (event.properties().get("currency") instanceof String currency && !currency.isBlank()) {
                    attributes.put("value_currency", currency.strip().toUpperCase(Locale.ROOT));
                }
            }
        }
        attributes.put("metric", Map.of("data", Map.of("type", "metric", "attributes", Map.of("name", metric))));
        attributes.put("profile", Map.of("data", Map.of("type", "profile", "attributes", identifiers)));
        return attributes;
    }

    /** A finite number, or a numeric string, as a decimal; null for anything else. */
    private static BigDecimal decimal(Object value) {
        try {
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
            }
            if (value instanceof Number || value instanceof String) {
                return new BigDecimal(value.toString().strip());
            }
        } catch (NumberFormatException notDecimal) {
            // not a number
        }
        return null;
    }

    /** The number in E.164 form once separators are dropped ({@code 00} read as {@code +}), or null. */
    static String e164(String phone) {
        String compact = PHONE_SEPARATORS.matcher(phone).replaceAll("");
        compact = compact.startsWith("00") ? "+" + compact.substring(2) : compact;
        return E164.matcher(compact).matches() ? compact : null;
    }
}
