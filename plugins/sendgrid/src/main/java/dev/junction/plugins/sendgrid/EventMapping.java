package dev.junction.plugins.sendgrid;

import dev.junction.spi.EventLog;
import dev.junction.spi.destination.Consent;
import dev.junction.spi.destination.DestinationEvent;

import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one event into the changes of its SendGrid contact, or settles it as filtered, skipped or
 * rejected without sending anything. The checks run in this order: the event type is mapped, the
 * user's marketing consent allows it, an e-mail is known, the e-mail is valid, the event carries
 * what its mapping needs.
 */
final class EventMapping {

    /** The config setting: whether events without marketing consent data are sent (default true). */
    static final String SEND_WITHOUT_CONSENT = "send_events_without_consent";
    /**
     * The config setting: whether the userId also goes to SendGrid's External ID contact identifier
     * (default false; see README.md, "external_id").
     */
    static final String USER_ID_AS_EXTERNAL_ID = "user_id_as_external_id";
    static final String PRODUCT_VIEWED = "Product Viewed";
    static final String ORDER_COMPLETED = "Order Completed";
    /** {@code ContactRequest.email} {@code maxLength} in tsg_mc_contacts_v3.json. */
    static final int MAX_EMAIL_LENGTH = 254;
    private static final int MAX_LOCAL_PART_LENGTH = 64;
    /**
     * A dot-atom local part and a domain of letter-digit-hyphen labels with an alphabetic top-level
     * label: what SendGrid delivers to. Quoted local parts, IP literals and non-ASCII domains (send
     * them in punycode) are refused here rather than by SendGrid.
     */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    /** E.164: SendGrid requires it of the reserved {@code phone_number} field. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    /** Punctuation people write phone numbers with, dropped before the E.164 check. */
    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[\\s().\\-/]");

    private final boolean sendWithoutConsent;
    private final boolean userIdAsExternalId;
    private final boolean defaultListConfigured;
    private final EventLog log;

    EventMapping(boolean sendWithoutConsent, boolean userIdAsExternalId, boolean defaultListConfigured, EventLog log) {
        this.sendWithoutConsent = sendWithoutConsent;
        this.userIdAsExternalId = userIdAsExternalId;
        this.defaultListConfigured = defaultListConfigured;
        this.log = log;
    }

    /** The event's contact changes, or empty when the event was settled in {@code outcomes}. */
    Optional<ContactChanges> map(DestinationEvent event, DeliveryOutcomes outcomes) {
        String type = event.type().wireName();  // a later SPI minor may add types: they are filtered below
        boolean mappedTrack = type.equals("track")
                && (PRODUCT_VIEWED.equals(event.event()) || ORDER_COMPLETED.equals(event.event()));
        if (!type.equals("identify") && !type.equals("page") && !mappedTrack) {
            outcomes.filtered(event, type.equals("track")
                    ? "The track event \"" + event.event() + "\" is not mapped to SendGrid (only " + PRODUCT_VIEWED
                    + " and " + ORDER_COMPLETED + " are)."
                    : "\"" + type + "\" events are not mapped to SendGrid (only identify, page and track are).");
            return Optional.empty();
        }
        Optional<Boolean> consent = event.consent().granted(Consent.MARKETING);
        if (consent.isPresent() && !consent.get()) {
            outcomes.filtered(event, "The user refused marketing consent (the event's consent for the "
                    + Consent.MARKETING + " category is false); SendGrid is a marketing destination.");
            return Optional.empty();
        }
        if (consent.isEmpty() && !sendWithoutConsent) {
            outcomes.filtered(event, "The event has no consent data for the marketing category, and this installation "
                    + "sends only events with marketing consent (" + SEND_WITHOUT_CONSENT + " is false).");
            return Optional.empty();
        }
        String email = event.email();
        if (email == null) {
            outcomes.skipped(event, "No e-mail known for " + (event.userId() != null ? "user " + event.userId()
                    : "anonymous user " + event.anonymousId()) + ": SendGrid contacts are keyed by e-mail.");
            return Optional.empty();
        }
        String problem = emailProblem(email);
        if (problem != null) {
            outcomes.rejected(event, "\"" + email + "\" " + problem + "; SendGrid would refuse the contact.", null);
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<DestinationField, Object> custom = new EnumMap<>(DestinationField.class);
        String missing = switch (type) {
            case "identify" -> identify(event, fields, custom);
            case "page" -> page(event, custom);
            default -> PRODUCT_VIEWED.equals(event.event()) ? productViewed(event, custom) : orderCompleted(event, custom);
        };
        if (missing != null) {
            outcomes.skipped(event, missing);
            return Optional.empty();
        }
        if (userIdAsExternalId && event.userId() != null && !event.userId().isBlank()) {
            // on every upsert of the user, not only identify: SendGrid refuses an update that leaves
            // out an identifier the contact already has
            fields.put("external_id", event.userId());
        }
        return Optional.of(new ContactChanges(event, email.toLowerCase(Locale.ROOT), fields, custom,
                type.equals("identify") && defaultListConfigured));
    }

    /** Why this is not an e-mail SendGrid takes, or null. */
    static String emailProblem(String email) {
        if (email.length() > MAX_EMAIL_LENGTH) {
            return "is longer than the " + MAX_EMAIL_LENGTH + " characters SendGrid allows";
        }
        if (!EMAIL.matcher(email).matches() || email.indexOf('@') > MAX_LOCAL_PART_LENGTH) {
            return "is not a valid e-mail address";
        }
        return null;
    }

    private String identify(DestinationEvent event, Map<String, Object> fields, Map<DestinationField, Object> custom) {
        Map<String, Object> traits = event.traits();
        CohortRun.putName(fields, "first_name", text(traits.containsKey("firstName") ? traits.get("firstName") : traits.get("first_name")));
        CohortRun.putName(fields, "last_name", text(traits.containsKey("lastName") ? traits.get("lastName") : traits.get("last_name")));
        String phone = text(traits.get("phone"));
        if (phone != null && !phone.isBlank()) {
            String e164 = e164(phone);
            if (e164 != null) {
                fields.put("phone_number", e164);
            } else {
                log.record(EventLog.Level.WARNING, "phone not sent", "The phone of event " + event.id() + " is not an "
                        + "international number (E.164, such as +14155550100), which SendGrid requires; the contact is "
                        + "updated without it.", Map.of("event_id", event.id()));
            }
        }
        if (event.userId() != null && !event.userId().isBlank()) {
            custom.put(DestinationField.USER_ID, event.userId());
        }
        return null;
    }

    private static String page(DestinationEvent event, Map<DestinationField, Object> custom) {
        String url = text(event.properties().get("url"));
        if ((url == null || url.isBlank()) && event.context().get("page") instanceof Map<?, ?> page) {
            url = text(page.get("url"));
        }
        if (url == null || url.isBlank()) {
            return "The page event has no URL (properties.url or context.page.url) to store in last_page_url.";
        }
        custom.put(DestinationField.LAST_PAGE_URL, url.strip());
        return null;
    }

    private static String productViewed(DestinationEvent event, Map<DestinationField, Object> custom) {
        String productId = text(event.properties().get("product_id"));
        if (productId == null || productId.isBlank()) {
            return "The Product Viewed event has no properties.product_id to store in last_product_id.";
        }
        custom.put(DestinationField.LAST_PRODUCT_ID, productId.strip());
        return null;
    }

    private static String orderCompleted(DestinationEvent event, Map<DestinationField, Object> custom) {
        if (event.timestamp() == null) {
            return "The Order Completed event has no timestamp to store in last_purchase_at.";
        }
        custom.put(DestinationField.LAST_PURCHASE_AT, event.timestamp().truncatedTo(ChronoUnit.SECONDS).toString());
        BigDecimal lifetimeValue = decimal(event.computedTraits().get("lifetime_value"));
        if (lifetimeValue != null) {  // absent until an order had a revenue or total
            custom.put(DestinationField.LIFETIME_VALUE, lifetimeValue);
        }
        return null;
    }

    /** A trait or property as text: strings as they are, numbers in plain notation; null for anything else. */
    private static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        BigDecimal number = decimal(value);
        return number == null ? null : number.toPlainString();
    }

    /** A finite number as a decimal in plain notation (no exponent), or null. */
    private static BigDecimal decimal(Object value) {
        try {
            if (value instanceof BigDecimal d) {
                return new BigDecimal(d.toPlainString());
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
            }
            return value instanceof Number n ? new BigDecimal(n.toString()) : null;
        } catch (NumberFormatException notDecimal) {
            return null;
        }
    }

    /** The number in E.164 form once spaces, dots, dashes, slashes and brackets are dropped, or null. */
    private static String e164(String phone) {
        String compact = PHONE_PUNCTUATION.matcher(phone).replaceAll("");
        if (compact.startsWith("00")) {
            compact = "+" + compact.substring(2);
        }
        return E164.matcher(compact).matches() ? compact : null;
    }
}
