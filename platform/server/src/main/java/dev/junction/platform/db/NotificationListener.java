package dev.junction.platform.db;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Listens to the channels of every {@link NotificationHandler} on one dedicated PostgreSQL
 * connection (outside the pool: it is held for the life of the server) and dispatches each
 * notification. Reconnects on its own, with backoff, and then tells the handlers.
 */
@Context
final class NotificationListener {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);

    private final Map<String, NotificationHandler> handlers;
    private final String url;
    private final Properties credentials = new Properties();
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    NotificationListener(List<NotificationHandler> handlers, Clock clock, DatabaseSettings database) {
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(NotificationHandler::channel, Function.identity()));
        this.clock = clock;
        this.url = database.url();
        credentials.setProperty("user", database.username());
        credentials.setProperty("password", database.passwordOrEmpty());
        credentials.setProperty("connectTimeout", "5");
        credentials.setProperty("tcpKeepAlive", "true");
        credentials.setProperty("ApplicationName", "junction-notifications");
        this.thread = new Thread(this::run, "db-notification-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Instant lostAt = null;
        long backoffMillis = 200;
        while (running) {
            try (Connection c = DriverManager.getConnection(url, credentials)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    for (String channel : handlers.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                if (lostAt != null) {
                    LOG.info("Database notifications reconnected; catching up on what happened since {}", lostAt);
                    for (NotificationHandler h : handlers.values()) {
                        reconnected(h, lostAt);
                    }
                    lostAt = null;
                }
                backoffMillis = 200;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        dispatch(n.getName(), n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (lostAt == null) {
                    lostAt = Instant.now(clock);
                    LOG.warn("Database notification connection lost ({}); reconnecting", e.getMessage());
                }
                sleep(backoffMillis);
                backoffMillis = Math.min(5_000, backoffMillis * 2);
            }
        }
    }

    private void dispatch(String channel, String payload) {
        NotificationHandler h = handlers.get(channel);
        if (h == null) {
            return;
        }
        try {
            h.onNotification(payload);
        } catch (RuntimeException e) {
            LOG.warn("Could not handle notification {} on {}: {}", payload, channel, e.getMessage());
        }
    }

    private static void reconnected(NotificationHandler h, Instant lostAt) {
        try {
            h.onReconnected(lostAt);
        } catch (RuntimeException e) {
            LOG.warn("Could not catch up on {} after reconnecting: {}", h.channel(), e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // shutting down
            }
        }
        thread.interrupt();
    }
}
