package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ListsTest extends FakeSendGridTestBase {
    @Override
    FakeSendGridBuilder configure(FakeSendGridBuilder builder) {
        return builder.importDelay(Duration.ofMillis(20));
    }

    @Test
    @DisplayName("a list is created, read, renamed and deleted (204 on delete: G9)")
    void createGetRenameDeleteAList() {
        Client.Response created = client.post("/v3/marketing/lists", "{\"name\":\"Newsletter\"}");
        assertEquals(201, created.status());
        String id = created.json().get("id").asText();
        assertEquals(36, id.length());
        assertEquals("Newsletter", created.json().get("name").asText());
        assertEquals(0, created.json().get("contact_count").asInt());
        assertEquals(fake.baseUrl() + "/v3/marketing/lists/" + id, created.json().at("/_metadata/self").asText());

        assertEquals("Newsletter", client.get("/v3/marketing/lists/" + id).json().get("name").asText());
        Client.Response renamed = client.patch("/v3/marketing/lists/" + id, "{\"name\":\"Weekly\"}");
        assertEquals(200, renamed.status());
        assertEquals("Weekly", fake.list(id).orElseThrow().name());

        assertEquals(204, client.delete("/v3/marketing/lists/" + id).status());
        assertEquals(404, client.get("/v3/marketing/lists/" + id).status());
        fake.assertNoViolations();
    }

    @Test
    @DisplayName("list names: length from the spec, uniqueness and PATCH length are G9")
    void listNameRulesComeFromTheSpecAndTheBusinessRules() {
        Client.Response empty = client.post("/v3/marketing/lists", "{\"name\":\"\"}");
        assertEquals(400, empty.status());
        assertTrue(empty.json().at("/errors/0/message").asText().contains("OpenAPI violation"), empty.text());
        fake.setValidationMode(ValidationMode.OFF);
        Client.Response tooLong = client.post("/v3/marketing/lists", "{\"name\":\"" + "x".repeat(101) + "\"}");
        assertEquals(400, tooLong.status());
        assertEquals("name", tooLong.json().at("/errors/0/field").asText());
        assertEquals(201, client.post("/v3/marketing/lists", "{\"name\":\"dup\"}").status());
        assertEquals(400, client.post("/v3/marketing/lists", "{\"name\":\"dup\"}").status());
        fake.setValidationMode(ValidationMode.STRICT);
    }

    @Test
    @DisplayName("at most 1,000 lists (the docs; the message is G2)")
    void atMostOneThousandLists() {
        for (int i = 0; i < 999; i++) {
            fake.createList("list-" + i);
        }
        assertEquals(201, client.post("/v3/marketing/lists", "{\"name\":\"the-1000th\"}").status());
        Client.Response refused = client.post("/v3/marketing/lists", "{\"name\":\"one-too-many\"}");
        assertEquals(400, refused.status());
        assertTrue(refused.json().at("/errors/0/message").asText().contains("at most 1000 lists"), refused.text());
        assertEquals(1000, fake.lists().size());
        assertThrows(IllegalArgumentException.class, () -> fake.createList("via-java"));
    }

    @Test
    void pagingFollowsMetadataNextUntilTheEnd() {
        List<String> names = IntStream.range(0, 7).mapToObj(i -> "list-" + i).collect(Collectors.toList());
        names.forEach(fake::createList);
        List<String> seen = new ArrayList<>();
        String url = "/v3/marketing/lists?page_size=3";
        int pages = 0;
        while (url != null) {
            Client.Response page = client.get(url);
            assertEquals(200, page.status(), page.text());
            page.json().get("result").forEach(l -> seen.add(l.get("name").asText()));
            assertEquals(7, page.json().at("/_metadata/count").asInt());
            JsonNode next = page.json().at("/_metadata/next");
            url = next.isMissingNode() ? null : next.asText();
            pages++;
        }
        assertEquals(names, seen);
        assertEquals(3, pages);
        fake.assertNoViolations();
    }

    @Test
    void pageSizeAboveTheSpecMaximumIsRefused() {
        assertEquals(400, client.get("/v3/marketing/lists?page_size=1001").status());
        assertFalse(fake.violations().isEmpty());
        fake.setValidationMode(ValidationMode.OFF);
        assertEquals(400, client.get("/v3/marketing/lists?page_size=1001").status());
        assertEquals(400, client.get("/v3/marketing/lists?page_token=garbage!").status());
        assertEquals(200, client.get("/v3/marketing/lists?page_size=1000").status());
        fake.setValidationMode(ValidationMode.STRICT);
    }

    @Test
    void removingContactsFromAListKeepsTheContacts() {
        String listId = fake.createList("members").id();
        FakeContact a = fake.seedContact(ContactSeed.of("a@example.com").inLists(listId));
        FakeContact b = fake.seedContact(ContactSeed.of("b@example.com").inLists(listId));
        assertEquals(2, client.get("/v3/marketing/lists/" + listId + "/contacts/count").json().get("contact_count").asInt());
        assertEquals(2, client.get("/v3/marketing/lists/" + listId).json().get("contact_count").asInt());

        Client.Response r = client.delete("/v3/marketing/lists/" + listId + "/contacts?contact_ids=" + a.id());
        assertEquals(202, r.status(), r.text());
        assertNotNull(r.json().get("job_id").asText());
        fake.awaitJobs();
        assertEquals(List.of("b@example.com"), fake.listMembers(listId).stream().map(FakeContact::email).toList());
        assertTrue(fake.contact("a@example.com").isPresent(), "the contact itself must survive");
        assertEquals(1, client.get("/v3/marketing/lists/" + listId + "/contacts/count").json().get("contact_count").asInt());
        assertTrue(fake.contact("a@example.com").orElseThrow().listIds().isEmpty());
        assertEquals(2, fake.contactCount());
        assertEquals(1, fake.requests("DELETE", "/v3/marketing/lists/" + listId + "/contacts").get(0).batchSize());
        assertTrue(b.listIds().contains(listId));
        fake.assertNoViolations();
    }

    @Test
    @DisplayName("removing more than 100 or unknown ids is refused (G9)")
    void removingTooManyOrUnknownIdsIsRefused() {
        String listId = fake.createList("members").id();
        String ids = IntStream.range(0, 101).mapToObj(i -> java.util.UUID.randomUUID().toString()).collect(Collectors.joining(","));
        Client.Response tooMany = client.delete("/v3/marketing/lists/" + listId + "/contacts?contact_ids=" + ids);
        assertEquals(400, tooMany.status());
        assertTrue(tooMany.json().at("/errors/0/message").asText().contains("at most 100"), tooMany.text());
        assertEquals(404, client.delete("/v3/marketing/lists/" + listId + "/contacts?contact_ids=" + java.util.UUID.randomUUID()).status());
        assertEquals(404, client.delete("/v3/marketing/lists/" + java.util.UUID.randomUUID() + "/contacts?contact_ids=x").status());
        Client.Response missing = client.delete("/v3/marketing/lists/" + listId + "/contacts");
        assertEquals(400, missing.status());
        assertTrue(missing.text().contains("contact_ids"), missing.text());
    }

    @Test
    @DisplayName("deleting a list with delete_contacts starts a job (G9)")
    void deletingAListWithDeleteContactsStartsAJob() {
        String listId = fake.createList("doomed").id();
        fake.seedContact(ContactSeed.of("gone@example.com").inLists(listId));
        fake.seedContact(ContactSeed.of("kept@example.com"));
        Client.Response r = client.delete("/v3/marketing/lists/" + listId + "?delete_contacts=true");
        assertEquals(200, r.status());
        assertNotNull(r.json().get("job_id"));
        fake.awaitJobs();
        assertFalse(fake.contact("gone@example.com").isPresent());
        assertTrue(fake.contact("kept@example.com").isPresent());
    }

    @Test
    @DisplayName("contact_sample lists up to 50 members as an array (G9)")
    void contactSampleListsRecentMembers() {
        String listId = fake.createList("sampled").id();
        fake.seedContact(ContactSeed.of("s@example.com").with("first_name", "Sam").inLists(listId));
        JsonNode body = client.get("/v3/marketing/lists/" + listId + "?contact_sample=true").json();
        assertEquals("s@example.com", body.at("/contact_sample/0/email").asText());
        assertEquals("Sam", body.at("/contact_sample/0/first_name").asText());
    }
}
