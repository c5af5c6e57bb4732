package dev.junction.platform.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One fresh PostgreSQL database per test run: created when the JUnit session opens, dropped when
 * it closes. Tests reach it through the {@code datasources.default.url} system property, which
 * Micronaut reads. Server: {@code JUNCTION_TEST_PG} (default 127.0.0.1:5432, user postgres).
 */
public final class TestDatabase implements LauncherSessionListener {

    private static final String SERVER = System.getenv().getOrDefault("JUNCTION_TEST_PG", "127.0.0.1:5432");
    private static final String USER = System.getenv().getOrDefault("JUNCTION_TEST_PG_USER", "postgres");
    private static String name;
    private static final java.util.List<String> EXTRA = new java.util.ArrayList<>();

    public static String url() {
        return "jdbc:postgresql://" + SERVER + "/" + name;
    }

    public static String user() {
        return USER;
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        if (name != null) {
            return;
        }
        name = "junction_test_" + ProcessHandle.current().pid() + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        admin("CREATE DATABASE " + name);
        System.setProperty("datasources.default.url", url());
        System.setProperty("datasources.default.username", USER);
        System.setProperty("datasources.default.password", "");
    }

    /**
     * Another empty database, for a test that must not share state with the rest of the run (a
     * master key rotation touches every tenant). Dropped with the main one.
     */
    public static synchronized String createIsolated(String purpose) {
        String extra = name + "_" + purpose;
        admin("CREATE DATABASE " + extra);
        EXTRA.add(extra);
        return "jdbc:postgresql://" + SERVER + "/" + extra;
    }

    @Override
    public synchronized void launcherSessionClosed(LauncherSession session) {
        if (name != null && !Boolean.getBoolean("junction.test.keepDatabase")) {
            for (String extra : EXTRA) {
                admin("DROP DATABASE IF EXISTS " + extra + " WITH (FORCE)");
            }
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Tests need PostgreSQL at " + SERVER + " (user " + USER
                    + ", trust auth): " + e.getMessage() + ". Start it with: pg_ctlcluster --skip-systemctl-redirect "
                    + "$(ls /etc/postgresql) main start", e);
        }
    }
}
