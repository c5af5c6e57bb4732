package dev.junction.plugins.sendgrid;

import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.Permission;
import dev.junction.fakesendgrid.Permission.Action;
import dev.junction.fakesendgrid.Permission.Resource;
import dev.junction.spi.CheckResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection check against the fake in strict mode: it decides on what SendGrid answers to its probes,
 * never on scope names. Keys are given their access apart from their scope names, so no test here rests on
 * the fake's guess of which scope an endpoint needs.
 */
class SendGridCheckTest extends AgainstFakeSendGrid {

    private static final String CHECKED_KEY = "SG.check-test-key.0123456789";

    private final SendGridConnector connector = new SendGridConnector();

    private TestContext context() {
        return context(CHECKED_KEY, fake.baseUrl(), Map.of());
    }

    @Test
    void acceptsAKeyWhoseProbesSucceedWhateverItsScopeNames() throws Exception {
        fake.addApiKey(CHECKED_KEY, Set.of("a.name.no.client.knows"), Permission.all());
        TestContext ctx = context();
        CheckResult r = connector.check(ctx);
        assertTrue(r.succeeded(), r.toString());
        assertEquals("ok", r.code());
        for (ConnectionCheck.Probe probe : ConnectionCheck.PROBES) {
            String path = probe.path().split("\\?")[0];
            assertEquals(1, fake.requests("GET", path).size(), probe.call());
        }
        assertEquals("1", fake.requests("GET", "/v3/marketing/lists").get(0).queryParam("page_size"), "a one-row read");
        assertEquals(List.of(), fake.requests("GET", "/v3/scopes"), "scope names are not consulted");
        assertFalse(ctx.eventLog().dump().contains(CHECKED_KEY), "the key never reaches the event log");
        assertEquals(ConnectionCheck.PROBES.size(), ctx.eventLog().httpAttempts().size());
    }

    @Test
    void acceptsAKeyThatMayOnlyRead() throws Exception {
        // writes are not probed (a check changes nothing); the first run that writes reports a 403 as forbidden
        fake.addApiKey(CHECKED_KEY, Set.of(), Permission.readAll());
        assertTrue(connector.check(context()).succeeded());
    }

    @Test
    void refusesAKeyWithTheScopeNamesWhoseProbeAnswers403NamingThePermission() throws Exception {
        fake.addApiKey(CHECKED_KEY, FakeSendGrid.MARKETING_SCOPES, allBut(new Permission(Resource.CUSTOM_FIELDS, Action.READ)));
        CheckResult r = connector.check(context());
        assertFalse(r.succeeded());
        assertEquals("missing_scopes", r.code());
        assertEquals(List.of("read access to Marketing custom field definitions"), r.details().get("missing_permissions"));
        assertEquals(List.of("GET /v3/marketing/field_definitions: 403 access forbidden"), r.details().get("refused_calls"));
        assertEquals(List.of("event delivery", "object sync"), r.details().get("affected_features"));
        assertTrue(r.message().contains("read access to Marketing custom field definitions"), r.message());
        assertTrue(r.message().contains("access forbidden"), "SendGrid's own answer is quoted: " + r.message());
        assertTrue(r.message().contains("marketing.read"), "scope names as a hint: " + r.message());
        assertFalse(r.message().contains(CHECKED_KEY));
    }

    @Test
    void namesEveryPermissionTheKeyLacks() throws Exception {
        fake.addApiKey(CHECKED_KEY, Set.of("mail.send"), Permission.of(Resource.LISTS, Action.READ, Action.CREATE));
        CheckResult r = connector.check(context());
        assertEquals("missing_scopes", r.code());
        assertEquals(List.of("read access to Marketing custom field definitions", "read access to Marketing contacts",
                "read access to Marketing segments"), r.details().get("missing_permissions"));
        assertEquals(List.of("event delivery", "object sync", "cohort sync"), r.details().get("affected_features"));
        assertTrue(r.message().startsWith("SendGrid refused the API key read access to Marketing custom field definitions, "
                + "read access to Marketing contacts and read access to Marketing segments ("), r.message());
        assertTrue(r.message().contains("which event delivery, object sync and cohort sync need."), r.message());
    }

    @Test
    void invalidKeyIsReportedAsSuchAfterOneCall() throws Exception {
        CheckResult r = connector.check(context("SG.unknown-to-sendgrid", fake.baseUrl(), Map.of()));
        assertFalse(r.succeeded());
        assertEquals("invalid_credentials", r.code());
        assertTrue(r.message().contains("invalid API key"), r.message());
        assertEquals(1, fake.requests().size());
    }

    @Test
    void rateLimitIsWaitedOut() throws Exception {
        fake.addApiKey(CHECKED_KEY, Set.of(), Permission.all());
        fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).on("GET", "/v3/marketing/lists"));
        assertTrue(connector.check(context()).succeeded());
        assertEquals(2, fake.requests("GET", "/v3/marketing/lists").size());
    }

    @Test
    void anotherRefusalIsAnUnexpectedResponse() throws Exception {
        fake.addApiKey(CHECKED_KEY, Set.of(), Permission.all());
        fake.inject(Fault.status(404).on("GET", "/v3/marketing/contacts/count"));
        CheckResult r = connector.check(context());
        assertEquals("unexpected_response", r.code());
        assertTrue(r.message().contains("404 to GET /v3/marketing/contacts/count"), r.message());
    }

    @Test
    void regionSelectsTheHostAndOtherHostsAreRefused() {
        TestContext eu = TestContext.builder(connector.descriptor()).config(Map.of("api_key", KEY, "region", "eu")).build();
        assertEquals("api.eu.sendgrid.com", new SendGridApi(eu).uri("/v3/marketing/lists").getHost());
        TestContext global = TestContext.builder(connector.descriptor()).config(Map.of("api_key", KEY)).build();
        assertEquals("api.sendgrid.com", new SendGridApi(global).uri("/v3/marketing/lists").getHost());
        // the fake's host is allowed only because the operator set it; a descriptor host list of its own stays closed
        TestContext closed = TestContext.builder(connector.descriptor()).config(Map.of("api_key", KEY)).build();
        assertThrows(PermanentConnectorException.class, () -> closed.http().send(
                dev.junction.spi.HttpCall.get(java.net.URI.create(fake.baseUrl() + "/v3/marketing/lists")).build()));
    }
}
