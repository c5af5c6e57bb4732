package dev.junction.platform.launch;

import dev.junction.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabasePreflightTest {

    @Test
    void createsAMissingDatabaseOnce() throws Exception {
        String url = TestDatabase.url() + "_created";
        try {
            assertTrue(DatabasePreflight.ensureDatabase(url, TestDatabase.user(), ""));
            assertFalse(DatabasePreflight.ensureDatabase(url, TestDatabase.user(), ""));
            try (Connection c = DriverManager.getConnection(url, TestDatabase.user(), "")) {
                assertTrue(c.isValid(2));
            }
        } finally {
            try (Connection c = DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + url.substring(url.lastIndexOf('/') + 1) + " WITH (FORCE)");
            }
        }
    }
}
