package dev.junction.platform.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchSettingsTest {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String JWT = "a-jwt-secret-that-is-long-enough-0123456789";

    @Test
    void defaults(@TempDir Path dir) {
        LaunchSettings s = LaunchSettings.fromEnvironment(Map.of("JUNCTION_JWT_SECRET", JWT, "JUNCTION_MASTER_KEY", KEY), dir);
        s.requireServer();
        assertEquals(8084, s.port());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/junction", s.dbUrl());
        assertEquals("postgres", s.dbUser());
        assertEquals("", s.dbPassword());
        assertEquals("http://localhost:8084", s.publicUrl());
        assertFalse(s.dev());
        assertEquals(8084, s.properties().get("micronaut.server.port"));
        assertFalse(s.toString().contains(JWT) || s.toString().contains(KEY), "toString hides secrets");
    }

    @Test
    void refusesToStartWithoutAWayToVerifyTokens(@TempDir Path dir) {
        LaunchException e = assertThrows(LaunchException.class,
                () -> LaunchSettings.fromEnvironment(Map.of("JUNCTION_MASTER_KEY", KEY), dir).requireServer());
        assertTrue(e.getMessage().contains("JUNCTION_JWT_SECRET") && e.getMessage().contains("JUNCTION_JWKS_URL")
                && e.getMessage().contains("JUNCTION_DEV"), e.getMessage());
        // a JWKS URL alone is enough
        LaunchSettings.fromEnvironment(Map.of("JUNCTION_MASTER_KEY", KEY, "JUNCTION_JWKS_URL", "https://idp.example/jwks"), dir)
                .requireServer();
    }

    @Test
    void refusesAShortJwtSecretAndAMissingMasterKey(@TempDir Path dir) {
        assertThrows(LaunchException.class, () -> LaunchSettings.fromEnvironment(
                Map.of("JUNCTION_JWT_SECRET", "short", "JUNCTION_MASTER_KEY", KEY), dir).requireServer());
        LaunchException e = assertThrows(LaunchException.class, () -> LaunchSettings.fromEnvironment(
                Map.of("JUNCTION_JWT_SECRET", JWT), dir).requireServer());
        assertTrue(e.getMessage().contains("JUNCTION_MASTER_KEY"));
        assertThrows(LaunchException.class, () -> LaunchSettings.fromEnvironment(Map.of("JUNCTION_PORT", "99999"), dir));
    }

    @Test
    void devModeGeneratesPersistentOwnerOnlySecrets(@TempDir Path dir) throws Exception {
        LaunchSettings first = LaunchSettings.fromEnvironment(Map.of("JUNCTION_DEV", "true"), dir);
        first.requireServer();
        Path file = dir.resolve(".junction-dev.properties");
        assertTrue(Files.exists(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertNotNull(first.jwtSecret());
        assertEquals(44, first.masterKey().length(), "base64 of 32 bytes");

        LaunchSettings second = LaunchSettings.fromEnvironment(Map.of("JUNCTION_DEV", "true"), dir);
        assertEquals(first.jwtSecret(), second.jwtSecret(), "kept across restarts");
        assertEquals(first.masterKey(), second.masterKey());
    }

    @Test
    void unreachableDatabaseFailsFastNamingTheUrl() {
        long start = System.nanoTime();
        String url = "jdbc:postgresql://127.0.0.1:1/junction";
        LaunchException e = assertThrows(LaunchException.class, () -> DatabasePreflight.ensureDatabase(url, "postgres", ""));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 10, "took " + seconds + " s");
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertTrue(e.getMessage().contains("deploy/compose.yaml"), e.getMessage());
    }
}
