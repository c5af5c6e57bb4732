package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthAndScopesTest extends FakeSendGridTestBase {

  @Test
  void missingAuthorizationIs401InSendGridsShape() {
    Client.Response r = client.withKey(null).get("/v3/marketing/lists");
    assertEquals(401, r.status());
    assertEquals("authorization required", r.json().at("/errors/0/message").asText());
    assertTrue(r.json().at("/errors/0/field").isNull());
  }

  @Test
  void unknownKeyIs401() {
    Client.Response r = client.withKey("SG.not-a-key").get("/v3/marketing/lists");
    assertEquals(401, r.status());
    assertEquals("The provided authorization grant is invalid, expired, or revoked", r.json().at("/errors/0/message").asText());
  }

  @Test
  void keyWithoutTheScopeGets403ButCanDoWhatItsScopesAllow() {
    fake.addApiKey("SG.read-only", Set.of("marketing.read"));
    Client readOnly = client.withKey("SG.read-only");
    assertEquals(200, readOnly.get("/v3/marketing/lists").status());
    Client.Response r = readOnly.post("/v3/marketing/lists", "{\"name\":\"x\"}");
    assertEquals(403, r.status());
    assertEquals("access forbidden", r.json().at("/errors/0/message").asText());
    assertTrue(r.json().at("/errors/0/field").isNull());
    assertEquals(403, readOnly.put("/v3/marketing/contacts", Client.contactsBody(1, null)).status());
    assertEquals(List.of(), fake.lists());
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
  void defaultKeyLooksLikeASendGridKey() {
    assertEquals(69, fake.defaultApiKey().length());
    assertTrue(fake.defaultApiKey().startsWith("SG."));
  }
}
