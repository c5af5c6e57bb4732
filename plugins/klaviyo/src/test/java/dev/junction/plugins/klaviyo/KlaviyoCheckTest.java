package dev.junction.plugins.klaviyo;

import dev.junction.fakeklaviyo.Fault;
import dev.junction.fakeklaviyo.RecordedRequest;
import dev.junction.spi.CheckResult;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection check against the fake Klaviyo (strict validation, zero violations). */
class KlaviyoCheckTest extends AgainstFakeKlaviyo {

    private final KlaviyoConnector connector = new KlaviyoConnector();

    private Set<String> scopesWithout(String... removed) {
        Set<String> scopes = new HashSet<>(fake.allScopes());
        List.of(removed).forEach(scopes::remove);
        return scopes;
    }

    @Test
    void aKeyWithEveryAccessPassesAndChangesNothing() throws Exception {
        String listId = fake.state().createList("Existing").id();
        TestContext ctx = context(Map.of());
        CheckResult r = connector.check(ctx);
        assertTrue(r.succeeded(), r.toString());
        assertEquals("ok", r.code());
        RecordedRequest accounts = fake.requests("get_accounts").get(0);
        assertEquals(1, fake.requests("get_lists").size());
        assertEquals(1, fake.requests("get_profiles").size());
        assertEquals(1, fake.requests("remove_profiles_from_list").size(), "the harmless write probe");
        assertEquals(List.of(listId), fake.state().lists().stream().map(l -> l.id()).toList(), "no list created");
        assertEquals(0, fake.state().profileCount());
        assertFalse(ctx.eventLog().dump().contains(fake.defaultApiKey()), "the key never reaches the event log");
        assertTrue(accounts.toString().length() > 0);
    }

    @Test
    void aWrongKeyIsReportedAsSuch() throws Exception {
        CheckResult r = connector.check(context("pk_not_a_key_klaviyo_knows", Map.of()));
        assertFalse(r.succeeded());
        assertEquals("invalid_credentials", r.code());
        assertTrue(r.message().contains("Klaviyo rejected the API key"), r.message());
        assertEquals(1, fake.requests().size(), "nothing probed after a 401");
    }

    @Test
    void aMissingAccountScopeIsNamedFromKlaviyosAnswer() throws Exception {
        fake.addApiKey("pk_no_accounts", scopesWithout("accounts:read"));
        CheckResult r = connector.check(context("pk_no_accounts", Map.of()));
        assertEquals("missing_scopes", r.code());
        assertEquals(List.of("accounts:read"), r.details().get("missing_scopes"));
        assertTrue(r.message().contains("accounts:read"), r.message());
    }

    @Test
    void eachCapabilityScopeIsProbedByCallingItsEndpoint() throws Exception {
        fake.addApiKey("pk_read_only_lists", scopesWithout("lists:write", "profiles:read"));
        CheckResult r = connector.check(context("pk_read_only_lists", Map.of()));
        assertEquals("missing_scopes", r.code());
        assertEquals(List.of("profiles:read", "lists:write"), r.details().get("missing_scopes"));
        assertTrue(r.message().contains("GET /api/profiles") && r.message().contains("DELETE /api/lists"), r.message());
    }

    @Test
    void subscribingMembersSaysWhatTheCheckCannotProve() throws Exception {
        CheckResult r = connector.check(context(Map.of("subscribe_members", true)));
        assertTrue(r.succeeded(), r.toString());
        assertTrue(r.message().contains("subscriptions:write"), r.message());
    }

    @Test
    void aRateLimitIsWaitedOut() throws Exception {
        fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).times(2).on("get_accounts"));
        assertTrue(connector.check(context(Map.of())).succeeded());
        assertEquals(3, fake.requests("get_accounts").size());
    }
}
