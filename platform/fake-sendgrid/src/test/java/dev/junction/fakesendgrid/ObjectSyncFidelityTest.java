package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What an object sync reads: list seed helpers, export failures and list ids, segment paging. */
class ObjectSyncFidelityTest extends FakeSendGridTestBase {
    @Override
    FakeSendGridBuilder configure(FakeSendGridBuilder builder) {
        return builder.exportDelay(Duration.ofMillis(20));
    }

    @AfterEach
    void noViolations() {
        fake.assertNoViolations();
    }

    private JsonNode export(String body) {
        Client.Response started = client.post("/v3/marketing/contacts/exports", body);
        assertEquals(202, started.status(), started.text());
        String id = started.json().get("id").asText();
        fake.awaitJobs();
        return client.get("/v3/marketing/contacts/exports/" + id).json();
    }

    private Map<String, JsonNode> lines(JsonNode status) throws IOException {
        Map<String, JsonNode> byEmail = new HashMap<>();
        for (JsonNode url : status.get("urls")) {
            String text = ExportTest.gunzip(client.withKey(null).get(url.asText()).raw().body());
            for (String line : text.split("\n")) {
                JsonNode c = Client.MAPPER.readTree(line);
                byEmail.put(c.get("email").asText(), c);
            }
        }
        return byEmail;
    }

    @Test
    void listsAreRenamedAndDeletedBySeedHelpersKeepingTheirContacts() {
        String a = fake.createList("a").id();
        fake.createList("b");
        fake.seedContact(ContactSeed.of("x@example.com").inLists(a));
        assertEquals("renamed", fake.renameList(a, "renamed").name());
        assertEquals("renamed", client.get("/v3/marketing/lists/" + a).json().get("name").asText());
        assertThrows(IllegalArgumentException.class, () -> fake.renameList(a, "b"), "names are unique");
        fake.deleteList(a);
        assertEquals(404, client.get("/v3/marketing/lists/" + a).status());
        assertTrue(fake.contact("x@example.com").orElseThrow().listIds().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> fake.deleteList(a));
    }

    @Test
    @DisplayName("JSON exports carry list and segment ids only when asked (G11)")
    void jsonExportsCarryListAndSegmentIdsOnlyWhenAsked() throws IOException {
        String a = fake.createList("a").id();
        fake.seedContact(ContactSeed.of("in@example.com").inLists(a));
        fake.seedContact(ContactSeed.of("out@example.com"));
        Segment s = fake.addSegment("s", "email LIKE '%in%'", List.of("in@example.com"));

        Map<String, JsonNode> plain = lines(export("{\"file_type\":\"json\"}"));
        assertFalse(plain.get("in@example.com").has("list_ids"));

        fake.jsonExportListIds(true);
        Map<String, JsonNode> with = lines(export("{\"file_type\":\"json\"}"));
        assertEquals(a, with.get("in@example.com").at("/list_ids/0").asText());
        assertEquals(s.id(), with.get("in@example.com").at("/segment_ids/0").asText());
        assertFalse(with.get("out@example.com").has("list_ids"), "only fields that have values");

        fake.reset();
        fake.seedContact(ContactSeed.of("in@example.com"));
        assertFalse(lines(export("{\"file_type\":\"json\"}")).get("in@example.com").has("list_ids"), "reset turns it off");
    }

    @Test
    @DisplayName("an export can be made to end failure (G11)")
    void anExportCanBeMadeToFail() {
        fake.seedContact(ContactSeed.of("a@example.com"));
        fake.failNextExport("export failed: storage unavailable");
        JsonNode failed = export("{\"file_type\":\"json\"}");
        assertEquals("failure", failed.get("status").asText());
        assertEquals("export failed: storage unavailable", failed.get("message").asText());
        assertFalse(failed.has("urls"));
        assertEquals("ready", export("{\"file_type\":\"json\"}").get("status").asText(), "only the next one");
    }

    @Test
    @DisplayName("segments are paged through _metadata.next when asked (G12)")
    void segmentsArePagedThroughNextWhenAsked() {
        fake.seedContact(ContactSeed.of("a@example.com"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(fake.addSegment("s" + i, "q", List.of("a@example.com")).id());
            Client.sleep(2);  // segments are ordered by creation time
        }
        assertEquals(5, client.get("/v3/marketing/segments/2.0").json().get("results").size(), "one page by default");

        fake.segmentsPageSize(2);
        List<String> seen = new ArrayList<>();
        String path = "/v3/marketing/segments/2.0";
        int pages = 0;
        while (path != null) {
            JsonNode page = client.get(path).json();
            page.get("results").forEach(r -> seen.add(r.get("id").asText()));
            pages++;
            path = page.at("/_metadata/next").isMissingNode() ? null : page.at("/_metadata/next").asText();
        }
        assertEquals(3, pages);
        assertEquals(ids, seen);

        fake.deleteSegment(ids.get(0));
        assertEquals(404, client.get("/v3/marketing/segments/2.0/" + ids.get(0)).status());
        assertThrows(IllegalArgumentException.class, () -> fake.deleteSegment(ids.get(0)));
    }
}
