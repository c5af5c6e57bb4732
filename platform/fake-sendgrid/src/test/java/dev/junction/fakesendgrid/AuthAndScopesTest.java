package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.fakesendgrid.Permission.Action;
import dev.junction.fakesendgrid.Permission.Resource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** API keys: 401 for unknown keys, 403 in SendGrid's shape for keys without the access, per-key access in tests. */
class AuthAndScopesTest extends FakeSendGridTestBase {

    @Test
    void missingAuthorizationIs401InSendGridsShape() {
        // body as the spec's example 401 of ListScope (tsg_scopes_v3.json)
        Client.Response r = client.withKey(null).get("/v3/marketing/lists");
        assertEquals(401, r.status());
        assertEquals("authorization required", r.json().at("/errors/0/message").asText());
        assertTrue(r.json().at("/errors/0/field").isNull());
    }

    @Test
    @DisplayName("an unknown key is 401 (its message text is guess G2)")
    void unknownKeyIs401() {
        Client.Response r = client.withKey("SG.not-a-key").get("/v3/marketing/lists");
        assertEquals(401, r.status());
        assertEquals("The provided authorization grant is invalid, expired, or revoked", r.json().at("/errors/0/message").asText());
    }

    @Test
    void keyWithoutThePermissionGets403InTheSpecsShapeAndChangesNothing() {
        fake.addApiKey("SG.readers", FakeSendGrid.MARKETING_SCOPES, Permission.readAll());
        Client readOnly = client.withKey("SG.readers");
        assertEquals(200, readOnly.get("/v3/marketing/lists").status());
        Client.Response r = readOnly.post("/v3/marketing/lists", "{\"name\":\"x\"}");
        assertEquals(403, r.status());
        // the spec's example 403 (GetScopes403): SendGrid's answer names no permission
        assertEquals("access forbidden", r.json().at("/errors/0/message").asText());
        assertTrue(r.json().at("/errors/0/field").isNull());
        assertEquals(403, readOnly.put("/v3/marketing/contacts", Client.contactsBody(1, null)).status());
        assertEquals(List.of(), fake.lists());
        assertEquals(0, fake.contactCount());
    }

    @Test
    void accessDoesNotDependOnScopeNamesWhenSetApart() {
        // a key whose Marketing access SendGrid lists under names no client expects
        fake.addApiKey("SG.other-names", Set.of("mc.contacts.full", "mc.lists.full"), Permission.all());
        Client other = client.withKey("SG.other-names");
        assertEquals(200, other.get("/v3/marketing/lists?page_size=1").status());
        assertEquals(201, other.post("/v3/marketing/lists", "{\"name\":\"x\"}").status());
        assertEquals("[\"mc.contacts.full\",\"mc.lists.full\"]", other.get("/v3/scopes").json().get("scopes").toString());

        // and one that shows every expected name but may do nothing
        fake.addApiKey("SG.names-only", FakeSendGrid.MARKETING_SCOPES, Set.of());
        Client namesOnly = client.withKey("SG.names-only");
        assertEquals(FakeSendGrid.MARKETING_SCOPES.size(), namesOnly.get("/v3/scopes").json().get("scopes").size());
        assertEquals(403, namesOnly.get("/v3/marketing/lists?page_size=1").status());
        assertEquals(403, namesOnly.get("/v3/marketing/field_definitions").status());
    }

    @Test
    void eachResourceIsGrantedOnItsOwn() {
        fake.addApiKey("SG.lists", Set.of(), Permission.of(Resource.LISTS, Action.READ));
        Client lists = client.withKey("SG.lists");
        assertEquals(200, lists.get("/v3/marketing/lists").status());
        assertEquals(403, lists.get("/v3/marketing/field_definitions").status());
        assertEquals(403, lists.get("/v3/marketing/contacts/count").status());
        assertEquals(403, lists.get("/v3/marketing/segments/2.0").status());
        // GET /v3/scopes answers any valid key (guess G1)
        assertEquals(200, lists.get("/v3/scopes").status());
    }

    @Test
    @DisplayName("scope names map to access by guess G1: marketing.read reads, marketing_campaigns.<verb> does <verb>")
    void scopeNamesMapToAccessByTheFakesGuess() {
        fake.addApiKey("SG.read-only", Set.of("marketing.read"));
        Client readOnly = client.withKey("SG.read-only");
        assertEquals(200, readOnly.get("/v3/marketing/lists").status());
        assertEquals(403, readOnly.post("/v3/marketing/lists", "{\"name\":\"x\"}").status());
        Set<Permission> expected = new HashSet<>(Permission.readAll());
        expected.addAll(Permission.of(Resource.LISTS, Action.CREATE));
        expected.addAll(Permission.of(Resource.CONTACTS, Action.CREATE));
        expected.addAll(Permission.of(Resource.CUSTOM_FIELDS, Action.CREATE));
        expected.addAll(Permission.of(Resource.SEGMENTS, Action.CREATE));
        assertEquals(expected, Permission.fromScopes(List.of("marketing_campaigns.read", "marketing_campaigns.create", "mail.send")));
        assertEquals(Set.of(), Permission.fromScopes(List.of("mail.send", "marketing.automation.read")));
    }

    @Test
    void scopesEndpointReturnsTheCallingKeysScopes() {
        fake.addApiKey("SG.two", Set.of("marketing.read", "mail.send"));
        Client.Response r = client.withKey("SG.two").get("/v3/scopes");
        assertEquals(200, r.status());
        assertEquals("[\"mail.send\",\"marketing.read\"]", r.json().get("scopes").toString());
        Client.Response all = client.get("/v3/scopes");
        assertEquals(FakeSendGrid.MARKETING_SCOPES.size(), all.json().get("scopes").size());
    }

    @Test
    void removedKeyIsRefused() {
        fake.addApiKey("SG.temp", FakeSendGrid.MARKETING_SCOPES);
        assertEquals(200, client.withKey("SG.temp").get("/v3/scopes").status());
        fake.removeApiKey("SG.temp");
        assertEquals(401, client.withKey("SG.temp").get("/v3/scopes").status());
    }

    @Test
    void resetRestoresTheDefaultKeysFullAccess() {
        fake.addApiKey(fake.defaultApiKey(), Set.of(), Set.of());
        assertEquals(403, client.get("/v3/marketing/lists").status());
        fake.reset();
        assertEquals(200, client.get("/v3/marketing/lists").status());
    }

    @Test
    void defaultKeyLooksLikeASendGridKey() {
        // "Twilio SendGrid API keys are 69 characters long" (SendGrid's API key permissions page)
        assertEquals(69, fake.defaultApiKey().length());
        assertTrue(fake.defaultApiKey().startsWith("SG."));
    }
}
