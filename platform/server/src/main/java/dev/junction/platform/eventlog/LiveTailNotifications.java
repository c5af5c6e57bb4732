package dev.junction.platform.eventlog;

import dev.junction.platform.db.NotificationHandler;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.UUID;

/** Hands each committed event-log batch ({@value EventLogService#CHANNEL}) to the {@link LiveTail}. */
@Singleton
final class LiveTailNotifications implements NotificationHandler {

    private final LiveTail tail;

    LiveTailNotifications(LiveTail tail) {
        this.tail = tail;
    }

    @Override
    public String channel() {
        return EventLogService.CHANNEL;
    }

    /** Payload {@code <tenant id>:<batch id>:<recorded at>}. */
    @Override
    public void onNotification(String payload) {
        String[] parts = payload.split(":", 3);
        // two parts: sent by a replica of the previous version during a rolling upgrade
        tail.onBatch(new TenantId(UUID.fromString(parts[0])), UUID.fromString(parts[1]),
                parts.length == 3 ? Instant.parse(parts[2]) : null);
    }

    @Override
    public void onReconnected(Instant lostAt) {
        tail.onReconnected(lostAt);
    }
}
