package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Private keys: 401 for a missing or unknown key, 403 naming the scope the operation needs (x-klaviyo-scopes); codes per G13. */
class AuthAndScopesTest extends FakeKlaviyoTestBase {

    @Test
    void missingOrUnknownKeyIs401() {
        Client.Response none = client.key(null).get("/api/accounts");
        assertEquals(401, none.status());
        assertEquals("not_authenticated", none.json().path("errors").path(0).path("code").asText());
        Client.Response unknown = new Client(fake.baseUrl(), "pk_unknown").get("/api/accounts");
        assertEquals(401, unknown.status());
        assertEquals("authentication_failed", unknown.json().path("errors").path(0).path("code").asText());
        fake.assertNoViolations();
    }

    @Test
    void aKeyWithoutTheScopeGets403NamingIt() {
        fake.addApiKey("pk_read_only", Set.of("accounts:read", "lists:read"));
        Client readOnly = new Client(fake.baseUrl(), "pk_read_only");
        assertEquals(200, readOnly.get("/api/accounts").status());
        assertEquals(200, readOnly.get("/api/lists").status());
        Client.Response create = readOnly.post("/api/lists", listBody("x"));
        assertEquals(403, create.status());
        assertEquals("permission_denied", create.json().path("errors").path(0).path("code").asText());
        assertTrue(create.errorDetail().contains("lists:write"), create.toString());
        // Adding members needs both lists:write and profiles:write.
        fake.addApiKey("pk_lists", Set.of("lists:write"));
        String listId = createList("x");
        Client.Response add = new Client(fake.baseUrl(), "pk_lists").post("/api/lists/" + listId
                + "/relationships/profiles", Client.json("{'data':[]}"));
        assertEquals(403, add.status());
        assertTrue(add.errorDetail().contains("profiles:write") && !add.errorDetail().contains("lists:write"));
    }

    @Test
    void theDefaultKeyHasEveryScopeOfTheSpec() {
        Set<String> scopes = fake.allScopes();
        assertTrue(scopes.containsAll(Set.of("accounts:read", "lists:write", "profiles:write", "events:write",
                "subscriptions:write", "webhooks:write", "segments:read", "metrics:read")), scopes.toString());
    }

    @Test
    void aRemovedKeyIsUnknown() {
        fake.addApiKey("pk_temp", fake.allScopes());
        Client temp = new Client(fake.baseUrl(), "pk_temp");
        assertEquals(200, temp.get("/api/accounts").status());
        fake.removeApiKey("pk_temp");
        assertEquals(401, temp.get("/api/accounts").status());
    }
}
