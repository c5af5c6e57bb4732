package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lists (G17), memberships, cursor pages (G16) and profile create-or-update (G3, G18). */
class ListsAndProfilesTest extends FakeKlaviyoTestBase {

    @Test
    void listLifeCycle() {
        String id = createList("Newsletter");
        assertEquals("Newsletter", client.get("/api/lists/" + id).json().path("data").path("attributes")
                .path("name").asText());
        Client.Response renamed = client.patch("/api/lists/" + id, Client.json(
                "{'data':{'type':'list','id':'" + id + "','attributes':{'name':'Weekly'}}}"));
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("Weekly", fake.state().list(id).orElseThrow().name());
        assertEquals(204, client.delete("/api/lists/" + id, null).status());
        assertEquals(404, client.get("/api/lists/" + id).status());
        fake.assertNoViolations();
    }

    @Test
    void membersAreAddedAndRemovedAtMost1000PerCall() {
        String listId = createList("Members");
        List<String> ids = fake.state().seedProfiles(1001);
        Client.Response tooMany = client.post("/api/lists/" + listId + "/relationships/profiles", refs(ids));
        assertEquals(400, tooMany.status());
        assertEquals(1, fake.violations().size(), "a limit the spec states is a violation");
        fake.reset();
        listId = createList("Members");
        ids = fake.state().seedProfiles(1000);
        assertEquals(204, client.post("/api/lists/" + listId + "/relationships/profiles", refs(ids)).status());
        assertEquals(1000, fake.state().listMembers(listId).size());
        assertEquals(204, client.delete("/api/lists/" + listId + "/relationships/profiles",
                refs(ids.subList(0, 100))).status());
        assertEquals(900, fake.state().listMembers(listId).size());
        Client.Response unknown = client.post("/api/lists/" + listId + "/relationships/profiles",
                refs(List.of("01KNOPE")));
        assertEquals(400, unknown.status());
        assertEquals("/data/0/id", unknown.json().path("errors").path(0).path("source").path("pointer").asText());
    }

    @Test
    void profilesArePagedByCursorUpToTheSpecsMaximum() {
        List<String> seeded = fake.state().seedProfiles(250);
        List<String> seen = new ArrayList<>();
        String next = "/api/profiles?page%5Bsize%5D=100";
        int pages = 0;
        while (next != null) {
            JsonNode doc = client.get(next).json();
            doc.path("data").forEach(p -> seen.add(p.path("id").asText()));
            JsonNode link = doc.path("links").path("next");
            next = link.isTextual() ? link.asText().substring(fake.baseUrl().length()) : null;
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(seeded, seen);
        assertEquals(400, client.get("/api/profiles?page%5Bcursor%5D=garbage").status());
    }

    @Test
    void listProfilesArePagedAndFilteredByEmail() {
        String listId = fake.state().createList("L").id();
        fake.state().addToList(listId, fake.state().seedProfiles(30));
        JsonNode first = client.get("/api/lists/" + listId + "/profiles?page%5Bsize%5D=20").json();
        assertEquals(20, first.path("data").size());
        String next = first.path("links").path("next").asText().substring(fake.baseUrl().length());
        assertEquals(10, client.get(next).json().path("data").size());
        JsonNode ids = client.get("/api/lists/" + listId + "/relationships/profiles?filter="
                + ValidationTest.enc("any(email,[\"USER3@example.com\"])")).json();
        assertEquals(1, ids.path("data").size());
        assertEquals("profile", ids.path("data").path(0).path("type").asText());
        fake.assertNoViolations();
    }

    @Test
    void profileImportCreatesThenUpdatesNullClearsAbsentKeeps() {
        Client.Response created = client.post("/api/profile-import", Client.json("{'data':{'type':'profile',"
                + "'attributes':{'email':'Ada@Example.com','first_name':'Ada','last_name':'Lovelace',"
                + "'properties':{'tier':'gold','age':36}}}}"));
        assertEquals(201, created.status(), created.toString());
        Client.Response updated = client.post("/api/profile-import", Client.json("{'data':{'type':'profile',"
                + "'attributes':{'email':'ADA@example.com','last_name':null,'external_id':'u1',"
                + "'properties':{'age':null,'city':'London'}}}}"));
        assertEquals(200, updated.status(), updated.toString());
        FakeProfile p = fake.state().profileByEmail("ada@example.com").orElseThrow();
        assertEquals("Ada", p.attributes().get("first_name"), "absent keeps");
        assertNull(p.attributes().get("last_name"), "null clears");
        assertEquals("u1", p.externalId());
        assertEquals("gold", p.properties().path("tier").asText());
        assertFalse(p.properties().has("age"));
        assertEquals("London", p.properties().path("city").asText());
        assertEquals(1, fake.state().profileCount(), "e-mails are case-insensitive");
        fake.assertNoViolations();
    }

    @Test
    void profileImportRefusesBadIdentifiersAndConflicts() {
        Client.Response bad = client.post("/api/profile-import", Client.json(
                "{'data':{'type':'profile','attributes':{'email':'not-an-email'}}}"));
        assertEquals(400, bad.status());
        assertEquals("/data/attributes/email", bad.json().path("errors").path(0).path("source").path("pointer")
                .asText());
        assertEquals(400, client.post("/api/profile-import", Client.json(
                "{'data':{'type':'profile','attributes':{'first_name':'Nobody'}}}")).status());
        fake.state().seedProfile("a@example.com", null, Map.of());
        fake.state().seedProfile("b@example.com", "ext-b", Map.of());
        Client.Response conflict = client.post("/api/profile-import", Client.json(
                "{'data':{'type':'profile','attributes':{'email':'a@example.com','external_id':'ext-b'}}}"));
        assertEquals(409, conflict.status());
        assertEquals("duplicate_profile", conflict.json().path("errors").path(0).path("code").asText());
    }

    @Test
    void addingToAListDoesNotChangeConsent() {
        String listId = createList("No consent");
        List<String> ids = fake.state().seedProfiles(2);
        client.post("/api/lists/" + listId + "/relationships/profiles", refs(ids));
        assertTrue(ids.stream().allMatch(id -> fake.state().profile(id).orElseThrow().emailMarketingConsent()
                .equals("NEVER_SUBSCRIBED")));
    }

    @Test
    void sparseFieldsetsAndSubscriptionsShapeTheAnswer() {
        String id = fake.state().seedProfile("s@example.com", "ext-s", Map.of("first_name", "S")).id();
        fake.state().setEmailConsent(id, "SUBSCRIBED");
        JsonNode a = client.get("/api/profiles/" + id + "?fields%5Bprofile%5D=email,subscriptions"
                + "&additional-fields%5Bprofile%5D=subscriptions").json().path("data").path("attributes");
        assertEquals(List.of("email", "subscriptions"), iterable(a.fieldNames()));
        assertEquals("SUBSCRIBED", a.path("subscriptions").path("email").path("marketing").path("consent").asText());
        JsonNode plain = client.get("/api/profiles/" + id).json().path("data").path("attributes");
        assertFalse(plain.has("subscriptions"));
        assertEquals("S", plain.path("first_name").asText());
        fake.assertNoViolations();
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    static String refs(List<String> ids) {
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < ids.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"type\":\"profile\",\"id\":\"").append(ids.get(i)).append("\"}");
        }
        return sb.append("]}").toString();
    }
}
