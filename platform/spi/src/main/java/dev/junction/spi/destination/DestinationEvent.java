package dev.junction.spi.destination;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A tenant's event with what the platform knows of its user, in the platform's vendor-neutral
 * shape. The platform reads whatever its sources speak (today the Segment-compatible tracking API)
 * into these fields; a destination needs no knowledge of the source's format.
 *
 * <p>The profile is read when the event is delivered, not when it was received: a {@code track}
 * sent before the user's first {@code identify} still finds the e-mail once that identify has
 * arrived, and computed traits are the totals at delivery time. Events of one user reach a
 * destination in the order they were received.
 *
 * @param id             the platform's id of the event (the sender's message id), stable across retries
 * @param type           what kind of event it is
 * @param event          the track event name; the page name for {@code page} (or null); null for {@code identify}
 * @param userId         the tenant's id of the user, or null
 * @param anonymousId    the anonymous id, or null
 * @param timestamp      when it happened (the sender's time, else when it was received)
 * @param email          the user's e-mail as the platform resolved it (trimmed, case kept), or null when
 *                       none is known: the source's way of naming it (for the tracking API: this
 *                       event's traits, then the profile, then the event's context) is the platform's
 * @param consent        the user's consent as this event states it; {@link Consent#unknown()} when it says nothing
 * @param traits         this event's traits ({@code identify}; empty otherwise)
 * @param properties     this event's properties ({@code track}, {@code page}; empty otherwise)
 * @param context        the event's context object as the source sent it (device, page, campaign), for
 *                       destinations that forward it; not needed for e-mail or consent
 * @param profile        the user's traits merged from every {@code identify} so far (latest value per trait)
 * @param computedTraits values the platform computes per user from the events themselves. Which keys
 *                       exist is the platform's, not the SPI's: the platform's documentation lists them
 *                       (plugins/README.md, "Computed traits"); a key is absent until it has a value
 * @since 1.0
 */
public record DestinationEvent(String id, EventType type, String event, String userId, String anonymousId,
                               Instant timestamp, String email, Consent consent, Map<String, Object> traits,
                               Map<String, Object> properties, Map<String, Object> context,
                               Map<String, Object> profile, Map<String, Object> computedTraits) {

    public DestinationEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        consent = consent == null ? Consent.unknown() : consent;
        traits = traits == null ? Map.of() : traits;
        properties = properties == null ? Map.of() : properties;
        context = context == null ? Map.of() : context;
        profile = profile == null ? Map.of() : profile;
        computedTraits = computedTraits == null ? Map.of() : computedTraits;
    }

    /**
     * Starts an event, for tests and for platforms other than Junction's.
     *
     * @param id        the event's id
     * @param type      its kind
     * @param timestamp when it happened
     */
    public static Builder builder(String id, EventType type, Instant timestamp) {
        return new Builder(id, type, timestamp);
    }

    /** A copy to change a few fields of. */
    public Builder toBuilder() {
        return new Builder(id, type, timestamp).event(event).userId(userId).anonymousId(anonymousId).email(email)
                .consent(consent).traits(traits).properties(properties).context(context).profile(profile)
                .computedTraits(computedTraits);
    }

    /** Builds a {@link DestinationEvent}; every field not set is null or empty. */
    public static final class Builder {
        private final String id;
        private final EventType type;
        private final Instant timestamp;
        private String event;
        private String userId;
        private String anonymousId;
        private String email;
        private Consent consent;
        private Map<String, Object> traits;
        private Map<String, Object> properties;
        private Map<String, Object> context;
        private Map<String, Object> profile;
        private Map<String, Object> computedTraits;

        private Builder(String id, EventType type, Instant timestamp) {
            this.id = id;
            this.type = type;
            this.timestamp = timestamp;
        }

        public Builder event(String event) { this.event = event; return this; }

        public Builder userId(String userId) { this.userId = userId; return this; }

        public Builder anonymousId(String anonymousId) { this.anonymousId = anonymousId; return this; }

        public Builder email(String email) { this.email = email; return this; }

        public Builder consent(Consent consent) { this.consent = consent; return this; }

        public Builder traits(Map<String, Object> traits) { this.traits = traits; return this; }

        public Builder properties(Map<String, Object> properties) { this.properties = properties; return this; }

        public Builder context(Map<String, Object> context) { this.context = context; return this; }

        public Builder profile(Map<String, Object> profile) { this.profile = profile; return this; }

        public Builder computedTraits(Map<String, Object> computedTraits) { this.computedTraits = computedTraits; return this; }

        public DestinationEvent build() {
            return new DestinationEvent(id, type, event, userId, anonymousId, timestamp, email, consent, traits,
                    properties, context, profile, computedTraits);
        }
    }
}
