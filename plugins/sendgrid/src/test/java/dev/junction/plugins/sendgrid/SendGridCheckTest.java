package dev.junction.plugins.sendgrid;

import dev.junction.spi.CheckResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.testkit.FakeHttpServer;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendGridCheckTest {

    private static final String KEY = "SG.check-test-key.0123456789";
    private static final String ALL_SCOPES = "{\"scopes\":[\"mail.send\",\"marketing.read\",\"marketing_campaigns.create\","
            + "\"marketing_campaigns.read\",\"marketing_campaigns.update\",\"marketing_campaigns.delete\"]}";

    private final SendGridConnector connector = new SendGridConnector();
    private FakeHttpServer sendgrid;

    @BeforeEach
    void start() {
        sendgrid = FakeHttpServer.start();
    }

    @AfterEach
    void stop() {
        sendgrid.close();
    }

    private TestContext context(Map<String, Object> config) {
        return TestContext.builder(connector.descriptor()).config(config)
                .platformSetting("api_url", sendgrid.baseUrl()).sleeper(d -> { }).build();
    }

    @Test
    void keyWithMarketingScopesPasses() throws Exception {
        sendgrid.on("GET", "/v3/scopes").respond(200, ALL_SCOPES);
        TestContext ctx = context(Map.of("api_key", KEY));
        CheckResult r = connector.check(ctx);
        assertTrue(r.succeeded(), r.toString());
        FakeHttpServer.Request req = sendgrid.requests("GET", "/v3/scopes").get(0);
        assertEquals("Bearer " + KEY, req.header("Authorization"));
        assertFalse(ctx.eventLog().dump().contains(KEY), "the key never reaches the event log");
        assertEquals(1, ctx.eventLog().httpAttempts().size());
    }

    @Test
    void missingScopesAreNamed() throws Exception {
        sendgrid.on("GET", "/v3/scopes").respond(200, "{\"scopes\":[\"mail.send\",\"marketing.read\"]}");
        CheckResult r = connector.check(context(Map.of("api_key", KEY)));
        assertFalse(r.succeeded());
        assertEquals("missing_scopes", r.code());
        assertEquals(List.of("marketing_campaigns.create", "marketing_campaigns.delete", "marketing_campaigns.read",
                "marketing_campaigns.update"), r.details().get("missing_scopes"));
        assertTrue(r.message().contains("marketing_campaigns.delete"), r.message());
    }

    @Test
    void invalidKeyIsReportedAsSuch() throws Exception {
        sendgrid.on("GET", "/v3/scopes").respond(401, "{\"errors\":[{\"field\":null,\"message\":\"authorization required\"}]}");
        CheckResult r = connector.check(context(Map.of("api_key", KEY)));
        assertFalse(r.succeeded());
        assertEquals("invalid_credentials", r.code());
        assertTrue(r.message().contains("invalid API key"));
    }

    @Test
    void rateLimitIsWaitedOut() throws Exception {
        sendgrid.on("GET", "/v3/scopes").respond(429, "{}", "X-RateLimit-Reset", String.valueOf(System.currentTimeMillis() / 1000 + 1))
                .respond(200, ALL_SCOPES);
        assertTrue(connector.check(context(Map.of("api_key", KEY))).succeeded());
        assertEquals(2, sendgrid.requests("GET", "/v3/scopes").size());
    }

    @Test
    void nonJsonAnswerFailsCleanly() throws Exception {
        sendgrid.on("GET", "/v3/scopes").respond(200, "<html>maintenance</html>");
        CheckResult r = connector.check(context(Map.of("api_key", KEY)));
        assertEquals("unexpected_response", r.code());
    }

    @Test
    void regionSelectsTheHostAndOtherHostsAreRefused() {
        TestContext eu = TestContext.builder(connector.descriptor()).config(Map.of("api_key", KEY, "region", "eu")).build();
        assertEquals("api.eu.sendgrid.com", new SendGridApi(eu).uri("/v3/scopes").getHost());
        TestContext global = TestContext.builder(connector.descriptor()).config(Map.of("api_key", KEY)).build();
        assertEquals("api.sendgrid.com", new SendGridApi(global).uri("/v3/scopes").getHost());
        // the fake's host is allowed only because the operator set it; a descriptor host list of its own stays closed
        TestContext closed = TestContext.builder(connector.descriptor()).config(Map.of("api_key", KEY)).build();
        assertThrows(PermanentConnectorException.class, () -> closed.http().send(
                dev.junction.spi.HttpCall.get(java.net.URI.create(sendgrid.baseUrl() + "/v3/scopes")).build()));
    }
}
