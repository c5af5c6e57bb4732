package dev.junction.platform.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.eventlog.TrackedMessageName;
import dev.junction.platform.profile.Profile;

import java.time.Instant;

/**
 * One valid message of the tracking API (Segment's HTTP Tracking API spec).
 *
 * @param messageId   the sender's messageId (the dedupe key), or one we generated
 * @param type        {@code identify}, {@code track} or {@code page}
 * @param event       the track event name, the page name, or null
 * @param userId      userId, or null
 * @param anonymousId anonymousId, or null
 * @param occurredAt  when it happened: the sender's timestamp, corrected for the sender's clock
 *                    when only originalTimestamp/sentAt are given, else when we received it
 * @param message     the message as sent (plus messageId when generated, and receivedAt)
 */
public record TrackedMessage(String messageId, String type, String event, String userId, String anonymousId,
                             Instant occurredAt, ObjectNode message) {

    /** The key the profile store and delivery lanes know the user by. */
    public String userKey() {
        return Profile.keyOf(userId, anonymousId);
    }

    /** How the event log and deliveries name it: the track event, else the type (and page name). */
    public String displayName() {
        return TrackedMessageName.of(type, event);
    }
}
