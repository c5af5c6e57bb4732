package dev.junction.platform.eventlog;

import dev.junction.platform.db.NotificationHandler;
import dev.junction.platform.tenant.TenantId;
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

    /** Payload {@code <tenant id>:<batch id>}. */
    @Override
    public void onNotification(String payload) {
        int colon = payload.indexOf(':');
        tail.onBatch(new TenantId(UUID.fromString(payload.substring(0, colon))), UUID.fromString(payload.substring(colon + 1)));
    }

    @Override
    public void onReconnected(Instant lostAt) {
        tail.onReconnected(lostAt);
    }
}
