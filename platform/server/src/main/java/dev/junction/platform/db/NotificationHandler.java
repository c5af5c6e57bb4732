package dev.junction.platform.db;

import java.time.Instant;

/**
 * Reacts to PostgreSQL notifications on one channel (a bean; {@link NotificationListener} finds
 * every handler). Notifications are sent at commit, so a handler never sees uncommitted work;
 * they are not durable, so {@link #onReconnected} must make up for what may have been missed.
 */
public interface NotificationHandler {

    /** The channel to LISTEN on (a plain identifier). */
    String channel();

    /** A notification arrived; runs on the listener's thread, so hand long work elsewhere. */
    void onNotification(String payload);

    /** The listening connection was lost at {@code lostAt} and is back. */
    void onReconnected(Instant lostAt);
}
