package dev.junction.spi.destination;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's event as ingested through the Segment-compatible tracking API, with what the platform
 * knows of its user.
 *
 * <p>The profile is read when the event is delivered, not when it was received: a {@code track}
 * sent before the user's first {@code identify} still finds the e-mail once that identify has
 * arrived, and computed traits are the totals at delivery time. Events of one user reach a
 * destination in the order they were received.
 *
 * @param id             the platform's id of the event (the sender's {@code messageId})
 * @param type           {@code identify}, {@code track} or {@code page}
 * @param event          the track event name; the page name for {@code page}; null for {@code identify}
 * @param userId         userId, or null
 * @param anonymousId    anonymousId, or null
 * @param timestamp      when it happened (the sender's {@code timestamp}, else when it was received)
 * @param traits         this event's traits ({@code identify}; empty otherwise)
 * @param properties     this event's properties ({@code track}, {@code page}; empty otherwise)
 * @param context        the event's {@code context} object, as sent
 * @param profile        the user's traits merged from every {@code identify} so far (latest value per trait)
 * @param computedTraits totals the platform keeps per user from the events themselves:
 *                       {@code lifetime_value} (a {@link java.math.BigDecimal}: the sum of {@code revenue},
 *                       or {@code total} when there is no revenue, over {@code Order Completed} events),
 *                       {@code order_count} (a {@link Long}) and {@code last_order_at} (an {@link Instant});
 *                       a key is absent until it has a value
 * @since 1.0
 */
public record DestinationEvent(String id, String type, String event, String userId, String anonymousId,
                               Instant timestamp, Map<String, Object> traits, Map<String, Object> properties,
                               Map<String, Object> context, Map<String, Object> profile,
                               Map<String, Object> computedTraits) {

    /** The Segment consent category marketing destinations belong to. */
    public static final String CONSENT_MARKETING = "marketing";

    public DestinationEvent {
        traits = traits == null ? Map.of() : traits;
        properties = properties == null ? Map.of() : properties;
        context = context == null ? Map.of() : context;
        profile = profile == null ? Map.of() : profile;
        computedTraits = computedTraits == null ? Map.of() : computedTraits;
    }

    /**
     * The consent this event carries for {@code category}, from Segment's
     * {@code context.consent.categoryPreferences}: {@code Optional.of(false)} when the user refused it,
     * empty when the event says nothing (or not a boolean) about that category.
     */
    public Optional<Boolean> consent(String category) {
        if (context.get("consent") instanceof Map<?, ?> consent
                && consent.get("categoryPreferences") instanceof Map<?, ?> preferences
                && preferences.get(category) instanceof Boolean granted) {
            return Optional.of(granted);
        }
        return Optional.empty();
    }

    /**
     * The user's e-mail: this event's {@code traits.email}, else the profile's, else
     * {@code context.traits.email}; null when none is known or blank.
     */
    public String email() {
        for (Object candidate : new Object[] {traits.get("email"), profile.get("email"),
                context.get("traits") instanceof Map<?, ?> t ? t.get("email") : null}) {
            if (candidate instanceof String s && !s.isBlank()) {
                return s.trim();
            }
        }
        return null;
    }
}
