package dev.junction.spi.destination;

import java.util.Map;
import java.util.Optional;

/**
 * What the user agreed to, by consent category, as the platform read it from the event's source.
 * Categories are the tenant's own names (a consent manager's categories); {@link #MARKETING} is the
 * conventional one for marketing destinations. Whether a destination sends an event without an
 * answer for its category is the destination's choice, usually a config setting.
 *
 * @param categories category to granted ({@code true}) or refused ({@code false}); a category the
 *                   source said nothing about is absent
 * @since 1.0
 */
public record Consent(Map<String, Boolean> categories) {

    /** The category marketing destinations (e-mail, CRM) check. */
    public static final String MARKETING = "marketing";

    private static final Consent UNKNOWN = new Consent(Map.of());

    public Consent {
        categories = categories == null ? Map.of() : Map.copyOf(categories);
    }

    /** The event says nothing about consent. */
    public static Consent unknown() {
        return UNKNOWN;
    }

    /** {@code Optional.of(false)} when the user refused {@code category}, empty when nothing is known. */
    public Optional<Boolean> granted(String category) {
        return Optional.ofNullable(categories.get(category));
    }
}
