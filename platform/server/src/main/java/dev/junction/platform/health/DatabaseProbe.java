package dev.junction.platform.health;

import dev.junction.platform.db.DatabaseSettings;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * Whether this replica reaches its database, checked every second on a connection of its own
 * (outside the pool, so a drained or waiting pool does not delay the answer and the answer does
 * not take a pooled connection). Each check has a two-second network limit, so readiness turns
 * false within about three seconds of the database going away; liveness never asks.
 */
@Singleton
class DatabaseProbe {

    /** A check older than this no longer counts as the database being reachable. */
    static final Duration FRESH = Duration.ofSeconds(3);
    private static final int TIMEOUT_SECONDS = 2;

    private final String url;
    private final Properties credentials = new Properties();
    private final Clock clock;
    private Connection connection;
    private volatile Instant lastSuccess;
    private volatile String lastError = "not checked yet";

    DatabaseProbe(DatabaseSettings database, Clock clock) {
        this.url = database.url();
        this.clock = clock;
        credentials.setProperty("user", database.username());
        credentials.setProperty("password", database.passwordOrEmpty());
        credentials.setProperty("connectTimeout", String.valueOf(TIMEOUT_SECONDS));
        credentials.setProperty("socketTimeout", String.valueOf(TIMEOUT_SECONDS));
        credentials.setProperty("loginTimeout", String.valueOf(TIMEOUT_SECONDS));
        credentials.setProperty("ApplicationName", "junction-probe");
    }

    @Scheduled(fixedDelay = "1s", initialDelay = "0s")
    synchronized void check() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, credentials);
            }
            try (Statement s = connection.createStatement()) {
                s.setQueryTimeout(TIMEOUT_SECONDS);
                s.execute("SELECT 1");
            }
            lastSuccess = Instant.now(clock);
            lastError = null;
        } catch (SQLException | RuntimeException e) {
            lastError = e.getClass().getSimpleName();
            close();
        }
    }

    /** True when the last check, at most {@link #FRESH} ago, reached the database. */
    public boolean reachable() {
        Instant ok = lastSuccess;
        return lastError == null && ok != null && ok.isAfter(Instant.now(clock).minus(FRESH));
    }

    /** Why the database counts as unreachable (an exception's class name, never a URL or password), or null. */
    String problem() {
        return reachable() ? null : (lastError == null ? "no recent check" : lastError);
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped anyway
            }
            connection = null;
        }
    }
}
