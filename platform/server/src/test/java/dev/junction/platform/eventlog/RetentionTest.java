package dev.junction.platform.eventlog;

import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.TestDatabase;
import dev.junction.platform.tenant.TenantService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event log retention: per tenant, by dropped partitions or deleted rows, one replica at a time. */
@MicronautTest(transactional = false)
class RetentionTest extends ApiTestBase {

    @Inject
    EventLogMaintenance maintenance;
    @Inject
    TenantService tenants;

    private UUID tenantId(String slug) {
        return tenants.findBySlug(slug).orElseThrow().id().value();
    }

    private static void insertAt(UUID tenant, Instant at, String name) throws Exception {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_log (tenant_id, recorded_at, batch_id, direction, kind, name, status, payload)
                VALUES (?, ?, ?, 'internal', 'test', ?, 'ok', '{}')""")) {
            ps.setObject(1, tenant);
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setObject(3, UUID.randomUUID());
            ps.setString(4, name);
            ps.executeUpdate();
        }
    }

    private static boolean exists(UUID tenant, String name) throws Exception {
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM event_log WHERE tenant_id = ? AND name = ?")) {
            ps.setObject(1, tenant);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Test
    void eachTenantKeepsItsOwnRetention() throws Exception {
        String shortT = newTenant("ret-short");
        String longT = newTenant("ret-long");
        Api.Response patched = tenantAdmin(shortT).patch("/v1/admin/tenants/" + shortT, Map.of("event_retention_days", 1));
        assertEquals(200, patched.status(), patched.toString());
        assertEquals(1, patched.json().get("event_retention_days").asInt());
        assertEquals(422, tenantAdmin(shortT).patch("/v1/admin/tenants/" + shortT, Map.of("event_retention_days", 0)).status());
        assertEquals(404, tenantAdmin(shortT).patch("/v1/admin/tenants/" + longT, Map.of("event_retention_days", 1)).status());

        Instant now = Instant.now();
        insertAt(tenantId(shortT), now.minus(Duration.ofDays(3)), "short-old");
        insertAt(tenantId(shortT), now.minus(Duration.ofHours(2)), "short-new");
        insertAt(tenantId(longT), now.minus(Duration.ofDays(3)), "long-recent");
        insertAt(tenantId(longT), now.minus(Duration.ofDays(30)), "long-old");

        EventLogMaintenance.Report report = maintenance.run();
        assertTrue(report.ran());
        assertFalse(exists(tenantId(shortT), "short-old"), "1-day retention");
        assertTrue(exists(tenantId(shortT), "short-new"));
        assertTrue(exists(tenantId(longT), "long-recent"), "7-day retention keeps 3 days");
        assertFalse(exists(tenantId(longT), "long-old"));
    }

    @Test
    void wholeOldPartitionsAreDropped() throws Exception {
        String t = newTenant("ret-part");
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(40);
        String partition = "event_log_" + old.toString().replace("-", "");
        try (Connection c = TestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + partition + " PARTITION OF event_log FOR VALUES FROM ('" + old
                    + "T00:00:00Z') TO ('" + old.plusDays(1) + "T00:00:00Z')");
        }
        insertAt(tenantId(t), old.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600), "ancient");
        EventLogMaintenance.Report report = maintenance.run();
        assertTrue(report.partitionsDropped().contains(partition), report.toString());
        assertFalse(exists(tenantId(t), "ancient"));
        assertTrue(report.partitionsCreated() >= 0);
    }

    @Test
    void onlyOneReplicaRunsItAtATime() throws Exception {
        try (Connection other = TestDatabase.connect(); Statement s = other.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + EventLogMaintenance.LOCK_KEY + ")");
            assertFalse(maintenance.run().ran(), "another replica holds the lock");
            s.execute("SELECT pg_advisory_unlock(" + EventLogMaintenance.LOCK_KEY + ")");
        }
        assertTrue(maintenance.run().ran());
    }

    @Test
    void deletingATenantDeletesItsEvents() throws Exception {
        String t = newTenant("ret-del");
        UUID id = tenantId(t);
        insertAt(id, Instant.now(), "doomed");
        assertEquals(204, platformAdmin().delete("/v1/admin/tenants/" + t).status());
        assertFalse(exists(id, "doomed"));
    }
}
