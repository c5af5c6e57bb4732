package dev.junction.platform.eventlog;

import dev.junction.platform.tenancy.TenantId;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored event log entry. Its public id combines the time it was recorded and its sequence
 * number ({@link EventId}), which is also the keyset cursor and the SSE event id.
 */
public record EventRecord(TenantId tenantId, long seq, Instant recordedAt, UUID installationId, String direction,
                          String kind, String name, String status, Integer httpStatus, Instant occurredAt,
                          String userId, String dedupeKey, String payloadJson) {

    public EventId eventId() {
        return new EventId(recordedAt, seq);
    }
}
