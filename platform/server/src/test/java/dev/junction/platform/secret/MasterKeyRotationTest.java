package dev.junction.platform.secret;

import dev.junction.platform.support.TestDatabase;
import dev.junction.platform.tenant.Tenant;
import dev.junction.platform.tenant.TenantService;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rotating the master key: the old key as "previous", re-wrap, then the old key can go. Runs on
 * its own database, since a rotation re-wraps every tenant's secrets.
 */
class MasterKeyRotationTest {

    private static final String DATABASE = TestDatabase.createIsolated("rotation");

    private static String newKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static ApplicationContext context(String masterKey, String previous) {
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", DATABASE);
        p.put("junction.master-key", masterKey);
        if (previous != null) {
            p.put("junction.previous-master-keys", previous);
        }
        return ApplicationContext.builder().environments("test").properties(p).start();
    }

    @Test
    void rotationRewrapsEveryDataKey() {
        String oldKey = newKey();
        String newKey = newKey();
        String slug = "rot-" + UUID.randomUUID().toString().substring(0, 8);
        Tenant tenant;
        try (ApplicationContext before = context(oldKey, null)) {
            tenant = before.getBean(TenantService.class).create(slug, "Rotation");
            before.getBean(SecretService.class).put(tenant.id(), "k1", "value-one");
            before.getBean(SecretService.class).put(tenant.id(), "k2", "value-two");
        }
        try (ApplicationContext withoutOld = context(newKey, null)) {
            SecretUnreadableException e = assertThrows(SecretUnreadableException.class,
                    () -> withoutOld.getBean(SecretService.class).reveal(tenant.id(), "k1"));
            assertTrue(e.getMessage().contains("JUNCTION_PREVIOUS_MASTER_KEYS"), e.getMessage());
        }
        try (ApplicationContext during = context(newKey, oldKey)) {
            SecretService secrets = during.getBean(SecretService.class);
            assertEquals("value-one", secrets.reveal(tenant.id(), "k1").orElseThrow());
            SecretService.RewrapReport report = secrets.rewrapAll();
            assertEquals(2, report.rewrapped(), report.toString());
            assertTrue(report.unreadable().isEmpty(), report.toString());
            assertEquals(0, secrets.rewrapAll().rewrapped(), "second run has nothing left to do");
        }
        try (ApplicationContext after = context(newKey, null)) {
            SecretService secrets = after.getBean(SecretService.class);
            assertEquals("value-one", secrets.reveal(tenant.id(), "k1").orElseThrow());
            assertEquals("value-two", secrets.reveal(tenant.id(), "k2").orElseThrow());
        }
    }

    @Test
    void aSecretUnderAnUnknownKeyIsReportedAndTheRestIsRewrapped() {
        String lostKey = newKey();
        String currentKey = newKey();
        String slug = "lost-" + UUID.randomUUID().toString().substring(0, 8);
        Tenant tenant;
        try (ApplicationContext before = context(lostKey, null)) {
            tenant = before.getBean(TenantService.class).create(slug, "Lost key");
            before.getBean(SecretService.class).put(tenant.id(), "orphan", "unrecoverable");
        }
        try (ApplicationContext now = context(currentKey, null)) {
            SecretService secrets = now.getBean(SecretService.class);
            secrets.put(tenant.id(), "fresh", "fine");
            SecretService.RewrapReport report = secrets.rewrapAll();
            List<String> mine = report.unreadable().stream().filter(u -> u.startsWith(slug + "/")).toList();
            assertEquals(1, mine.size(), report.toString());
            assertTrue(mine.get(0).startsWith(slug + "/orphan: "), report.toString());
            assertEquals("fine", secrets.reveal(tenant.id(), "fresh").orElseThrow());
        }
    }
}
