package dev.junction.platform.delivery;

import dev.junction.platform.profile.Profile;
import dev.junction.spi.destination.Consent;
import dev.junction.spi.destination.DestinationEvent;
import dev.junction.spi.destination.EventType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a message of the Segment-compatible tracking API into the SPI's vendor-neutral
 * {@link DestinationEvent}: the one place that knows Segment's vocabulary on the way out (where the
 * e-mail may be, how consent is written). Plugins see only the neutral fields.
 */
final class SegmentDestinationEvents {

    private SegmentDestinationEvents() {
    }

    /**
     * The event of one stored message.
     *
     * @param message the message as received (its {@code traits}, {@code properties}, {@code context})
     * @param profile what the platform knows of its user, or null
     */
    static DestinationEvent of(String messageId, String type, String event, String userId, String anonymousId,
                               Instant occurredAt, Map<String, Object> message, Profile profile) {
        EventType eventType = EventType.valueOf(type.toUpperCase(Locale.ROOT));
        Map<String, Object> traits = eventType == EventType.IDENTIFY ? object(message.get("traits")) : Map.of();
        Map<String, Object> context = object(message.get("context"));
        Map<String, Object> profileTraits = profile == null ? Map.of() : profile.traits();
        return new DestinationEvent(messageId, eventType, event, userId, anonymousId, occurredAt,
                email(traits, profileTraits, context), consent(context), traits,
                eventType == EventType.IDENTIFY ? Map.of() : object(message.get("properties")), context, profileTraits,
                profile == null ? Map.of() : profile.computedTraits());
    }

    /**
     * The user's e-mail: this event's {@code traits.email}, else the profile's, else
     * {@code context.traits.email}; trimmed; null when none is known or all are blank.
     */
    static String email(Map<String, Object> traits, Map<String, Object> profile, Map<String, Object> context) {
        for (Object candidate : new Object[] {traits.get("email"), profile.get("email"),
                context.get("traits") instanceof Map<?, ?> t ? t.get("email") : null}) {
            if (candidate instanceof String s && !s.isBlank()) {
                return s.trim();
            }
        }
        return null;
    }

    /**
     * Segment's {@code context.consent.categoryPreferences}: each category with a boolean answer;
     * other values (and a missing object) say nothing.
     */
    static Consent consent(Map<String, Object> context) {
        if (context.get("consent") instanceof Map<?, ?> consent
                && consent.get("categoryPreferences") instanceof Map<?, ?> preferences) {
            Map<String, Boolean> categories = new LinkedHashMap<>();
            preferences.forEach((category, granted) -> {
                if (category instanceof String name && granted instanceof Boolean answer) {
                    categories.put(name, answer);
                }
            });
            return new Consent(categories);
        }
        return Consent.unknown();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
