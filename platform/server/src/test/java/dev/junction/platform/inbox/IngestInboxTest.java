package dev.junction.platform.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.InboxDrain;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.platform.support.TestDatabase;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ingest inbox with no processor threads: each test drives processing itself, so what is
 * acknowledged but not yet processed (as after a crash between the two) can be looked at.
 */
@MicronautTest(transactional = false)
@Property(name = "junction.ingest.processors", value = "0")
@Property(name = "junction.ingest.max-backlog-events-per-tenant", value = "20")
@Property(name = "junction.ingest.max-backlog-events", value = "40")
class IngestInboxTest extends ApiTestBase {

    @Inject
    InboxProcessors processors;
    @Inject
    Backlog backlog;

    record Setup(String tenant, String installationId, String path) { }

    private Setup install(String prefix) {
        String t = newTenant(prefix);
        Api.Response r = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("name", "SendGrid", "config", Map.of("api_key", "SG.inbox-test")));
        assertEquals(201, r.status(), r.toString());
        return new Setup(t, r.json().get("id").asText(), URI.create(r.json().get("webhook_url").asText()).getPath());
    }

    private Api.Response post(Setup s, byte[] body) {
        return api().send("POST", s.path(), "application/json", body);
    }

    /** Processes everything waiting (other test classes may have left entries) and rereads the backlog. */
    @BeforeEach
    void drain() {
        TenantId turn = null;
        for (Optional<TenantId> served = processors.processNext(null); served.isPresent(); served = processors.processNext(turn)) {
            turn = served.get();
        }
        backlog.refresh();
    }

    private static long stored(String installationId) {
        return InboxDrain.storedWebhookEvents(installationId);
    }

    @Test
    void anAcknowledgedRequestWaitsInTheInboxUntilProcessedAndIsStoredOnce() {
        Setup s = install("inbox-crash");
        Api.Response ack = post(s, SendGridWebhookData.sampleEvents());
        assertEquals(200, ack.status(), ack.toString());
        assertEquals(14, ack.json().get("accepted").asInt());
        // as after a crash between the ack and the processing: durable, not yet stored
        assertEquals(1, InboxDrain.waiting(s.tenant()));
        assertEquals(0, stored(s.installationId()));

        assertTrue(processors.processNext(null).isPresent());
        assertEquals(0, InboxDrain.waiting(s.tenant()), "the entry goes in the transaction that stores its events");
        assertEquals(14, stored(s.installationId()));
        assertFalse(processors.processNext(null).isPresent(), "nothing left to do twice");
        assertEquals(14, stored(s.installationId()));
    }

    @Test
    void pastATenantsBoundItsRequestsAre429AndPastTheTotal503WithRetryAfter() {
        Setup a = install("inbox-full-a");
        Setup b = install("inbox-full-b");
        Setup c = install("inbox-full-c");
        byte[] fourteen = SendGridWebhookData.sampleEvents();
        assertEquals(200, post(a, fourteen).status());
        Api.Response tooMany = post(a, fourteen);
        assertEquals(429, tooMany.status(), tooMany.toString());
        assertEquals("application/problem+json", tooMany.contentType());
        assertEquals("2", tooMany.headers().firstValue("retry-after").orElse(""));
        assertEquals(1, InboxDrain.waiting(a.tenant()), "a refused request changes nothing");

        assertEquals(200, post(b, fourteen).status(), "another tenant is not held back by the first one's bound");
        Api.Response full = post(c, fourteen);
        assertEquals(503, full.status(), "42 events would pass the total bound of 40: " + full);
        assertEquals("5", full.headers().firstValue("retry-after").orElse(""));
        assertEquals("application/problem+json", full.contentType());

        drain();
        assertEquals(200, post(a, fourteen).status(), "accepted again once processed");
    }

    @Test
    void tenantsAreServedInTurnNotInArrivalOrder() {
        Setup burst = install("inbox-burst");
        Setup quiet = install("inbox-quiet");
        for (int i = 0; i < 4; i++) {
            assertEquals(200, post(burst, SendGridWebhookData.batch(4, UUID.randomUUID().toString()).getBytes()).status());
        }
        assertEquals(200, post(quiet, SendGridWebhookData.batch(4, UUID.randomUUID().toString()).getBytes()).status());
        UUID quietTenant = tenantId(quiet.tenant());
        List<UUID> order = new ArrayList<>();
        TenantId turn = null;
        for (Optional<TenantId> served = processors.processNext(null); served.isPresent(); served = processors.processNext(turn)) {
            turn = served.get();
            order.add(turn.value());
        }
        assertEquals(2, order.size(), "the burst's four small requests are stored in one transaction: " + order);
        assertTrue(order.indexOf(quietTenant) <= 1, "the quiet tenant's only request waits for at most one turn of the burst's: " + order);
        assertEquals(0, InboxDrain.waiting(burst.tenant()) + InboxDrain.waiting(quiet.tenant()));
        assertEquals(16, InboxDrain.storedWebhookEvents(burst.installationId()));
        assertEquals(4, InboxDrain.storedWebhookEvents(quiet.installationId()));
    }

    @Test
    void theBacklogIsShownToItsTenantOnlyAndTheTotalToPlatformAdmins() {
        Setup a = install("inbox-lag-a");
        String b = newTenant("inbox-lag-b");
        assertEquals(200, post(a, SendGridWebhookData.sampleEvents()).status());
        backlog.refresh();

        JsonNode mine = tenantAdmin(a.tenant()).get("/v1/admin/ingest/backlog").json();
        assertEquals(1, mine.at("/tenant/requests").asInt(), mine.toString());
        assertEquals(14, mine.at("/tenant/events").asInt());
        assertTrue(mine.at("/tenant/oldest_received_at").isTextual());
        assertNull(mine.get("total"), "a tenant does not learn about other tenants' traffic");

        JsonNode theirs = viewer(b).get("/v1/admin/ingest/backlog").json();
        assertEquals(0, theirs.at("/tenant/requests").asInt(), theirs.toString());
        assertEquals(0, theirs.at("/tenant/events").asInt());
        assertNull(theirs.get("total"));

        JsonNode operator = platformAdmin().get("/v1/admin/ingest/backlog").json();
        assertNull(operator.get("tenant"));
        assertTrue(operator.at("/total/events").asInt() >= 14, operator.toString());
        assertEquals(14, platformAdminOf(a.tenant()).get("/v1/admin/ingest/backlog").json().at("/tenant/events").asInt());
        assertEquals(401, api().get("/v1/admin/ingest/backlog").status());
    }

    private static UUID tenantId(String slug) {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement("SELECT id FROM tenant WHERE slug = ?")) {
            ps.setString(1, slug);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
