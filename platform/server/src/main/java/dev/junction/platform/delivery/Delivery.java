package dev.junction.platform.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * One event on its way to one destination installation.
 *
 * @param status     {@code pending} (queued or retrying), {@code delivered}, {@code filtered} (not for this
 *                   destination: unmapped event, no consent), {@code skipped} (missing data, e.g. no e-mail),
 *                   {@code dead} (refused for good, or retries exhausted)
 * @param attempts   failed or successful delivery calls that carried it (rate-limited ones are not counted)
 * @param httpStatus the vendor's HTTP status for the last attempt, when known
 * @param reason     why it was filtered, skipped or dead, or the last retry's error (the vendor's answer included)
 */
record Delivery(long id, UUID installationId, String messageId, String type, String event, String userId,
                       String anonymousId, String status, int attempts, Instant createdAt, Instant queuedAt,
                       Instant lastAttemptAt, Instant finishedAt, Integer httpStatus, String reason, int replays) {

    /** Statuses a replay may send again. */
    public static final java.util.Set<String> REPLAYABLE = java.util.Set.of("dead", "skipped", "filtered");
    public static final java.util.Set<String> STATUSES = java.util.Set.of("pending", "delivered", "filtered", "skipped", "dead");
}
