package dev.junction.platform.delivery;

import java.time.Instant;

/** A pending delivery with its event, as a worker loads it. */
record PendingDelivery(long id, int attempts, Instant queuedAt, String userKey, String messageId, String type, String event,
                       String userId, String anonymousId, Instant occurredAt, String messageJson) { }
