package dev.junction.platform.support;

import dev.junction.platform.security.TokenMinter;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Tokens signed with the test JWT secret of {@code application-test.yml}. */
public final class Tokens {

    public static final String SECRET = "test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    private static final TokenMinter MINTER = new TokenMinter(SECRET);

    private Tokens() { }

    public static String platformAdmin() {
        return MINTER.mint("ops@junction", List.of("platform-admin"), null, Duration.ofHours(1), Instant.now());
    }

    public static String tenantAdmin(String tenant) {
        return MINTER.mint("admin@" + tenant, List.of("tenant-admin"), tenant, Duration.ofHours(1), Instant.now());
    }

    public static String viewer(String tenant) {
        return MINTER.mint("viewer@" + tenant, List.of("viewer"), tenant, Duration.ofHours(1), Instant.now());
    }

    public static String of(String subject, List<String> roles, String tenant, Duration ttl) {
        return MINTER.mint(subject, roles, tenant, ttl, Instant.now());
    }
}
