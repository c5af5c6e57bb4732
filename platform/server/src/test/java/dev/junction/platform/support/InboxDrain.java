package dev.junction.platform.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

/**
 * Waits until the ingest inbox's processors have stored what was acknowledged: webhooks and
 * tracked messages are answered once durable in the inbox, and stored in the event log behind.
 */
public final class InboxDrain {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private InboxDrain() {
    }

    /** Until no request of this installation (or tracking source) waits in the inbox. */
    public static void stream(String streamId) {
        await("SELECT count(*) FROM ingest_inbox WHERE stream_id = ?", UUID.fromString(streamId));
    }

    /** Until no request of the tenant with this slug waits in the inbox. */
    public static void tenant(String slug) {
        await("SELECT count(*) FROM ingest_inbox i JOIN tenant t ON t.id = i.tenant_id WHERE t.slug = ?", slug);
    }

    /** How many requests of the tenant with this slug wait in the inbox. */
    public static long waiting(String slug) {
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM ingest_inbox i JOIN tenant t ON t.id = i.tenant_id WHERE t.slug = ?")) {
            ps.setObject(1, slug);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Webhook events of an installation stored in the event log. */
    public static long storedWebhookEvents(String installationId) {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM event_log WHERE installation_id = ? AND kind = 'webhook_event'")) {
            ps.setObject(1, UUID.fromString(installationId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String sql, Object key) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the inbox did not drain within " + LIMIT);
                }
                Thread.sleep(20);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
