package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExportTest extends FakeSendGridTestBase {
    @Override
    FakeSendGridBuilder configure(FakeSendGridBuilder builder) {
        return builder.exportDelay(Duration.ofMillis(100));
    }

    static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    JsonNode awaitExport(String id) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode status = client.get("/v3/marketing/contacts/exports/" + id).json();
            if (!"pending".equals(status.get("status").asText())) {
                return status;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("export still pending");
            }
            Client.sleep(20);
        }
    }

    @Test
    @DisplayName("a JSON export of a list is gzipped newline-delimited JSON (G11)")
    void jsonExportOfAListIsGzippedNewlineDelimitedJson() throws IOException {
        String listId = fake.createList("export-me").id();
        CustomField tier = fake.addCustomField("tier", FieldType.TEXT);
        fake.seedContact(ContactSeed.of("a@example.com").with("first_name", "A").with("tier", "gold").inLists(listId));
        fake.seedContact(ContactSeed.of("b@example.com").with("last_name", "B").inLists(listId));
        fake.seedContact(ContactSeed.of("not-on-list@example.com"));

        Client.Response started = client.post("/v3/marketing/contacts/exports",
                "{\"list_ids\":[\"" + listId + "\"],\"file_type\":\"json\"}");
        assertEquals(202, started.status(), started.text());
        String id = started.json().get("id").asText();
        assertEquals("pending", client.get("/v3/marketing/contacts/exports/" + id).json().get("status").asText());

        JsonNode status = awaitExport(id);
        assertEquals("ready", status.get("status").asText(), status.toString());
        assertEquals(2, status.get("contact_count").asInt());
        assertEquals(1, status.get("urls").size());
        Client.Response file = client.withKey(null).get(status.at("/urls/0").asText());
        assertEquals(200, file.status());
        assertEquals("application/gzip", file.header("Content-Type"));
        String text = gunzip(file.raw().body());
        String[] lines = text.split("\n");
        assertEquals(2, lines.length, text);
        assertTrue(text.endsWith("\n"));
        assertTrue(!text.startsWith("["), "NDJSON, not an array");
        Set<String> emails = new HashSet<>();
        for (String line : lines) {
            JsonNode c = Client.MAPPER.readTree(line);
            emails.add(c.get("email").asText());
            assertTrue(c.has("contact_id"));
            if (c.get("email").asText().equals("a@example.com")) {
                assertEquals("gold", c.at("/custom_fields/tier").asText());
                assertEquals("A", c.get("first_name").asText());
                assertEquals(fake.contact("a@example.com").orElseThrow().id(), c.get("contact_id").asText());
            }
        }
        assertEquals(Set.of("a@example.com", "b@example.com"), emails);
        assertTrue(tier.id().endsWith("_T"));
        fake.assertNoViolations();
    }

    @Test
    @DisplayName("a CSV export has an upper-case header row (G11)")
    void csvExportOfEverythingHasAHeaderRow() throws IOException {
        fake.addCustomField("score", FieldType.NUMBER);
        fake.seedContact(ContactSeed.of("c@example.com").with("city", "Paris, France").with("score", 3));
        Client.Response started = client.post("/v3/marketing/contacts/exports", "{}");
        JsonNode status = awaitExport(started.json().get("id").asText());
        String text = gunzip(client.get(status.at("/urls/0").asText()).raw().body());
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("CONTACT_ID,EMAIL,"), lines[0]);
        assertTrue(lines[0].endsWith(",score"), lines[0]);
        assertTrue(lines[1].contains("\"Paris, France\""), lines[1]);
        assertTrue(lines[1].endsWith(",3"), lines[1]);
    }

    @Test
    @DisplayName("large exports are split by max_file_size in 1,000,000-byte MB (G11)")
    void largeExportsAreSplitByMaxFileSize() throws IOException {
        List<ContactSeed> seeds = new ArrayList<>();
        IntStream.range(0, 20_000).forEach(i -> seeds.add(ContactSeed.of("bulk" + i + "@example.com").with("first_name", "F" + i)));
        fake.seedContacts(seeds);
        String id = client.post("/v3/marketing/contacts/exports", "{\"file_type\":\"json\",\"max_file_size\":1}").json().get("id").asText();
        JsonNode status = awaitExport(id);
        assertEquals(20_000, status.get("contact_count").asInt());
        assertTrue(status.get("urls").size() >= 2, status.toString());
        Set<String> emails = new HashSet<>();
        for (JsonNode url : status.get("urls")) {
            String text = gunzip(client.get(url.asText()).raw().body());
            assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 1_000_000, "each file respects max_file_size");
            for (String line : text.split("\n")) {
                emails.add(Client.MAPPER.readTree(line).get("email").asText());
            }
        }
        assertEquals(20_000, emails.size());
        assertEquals(1, client.get("/v3/marketing/contacts/exports").json().get("result").size());
    }

    @Test
    @DisplayName("an export of an unknown list is refused (G5)")
    void exportOfUnknownListIsRefused() {
        Client.Response r = client.post("/v3/marketing/contacts/exports",
                "{\"list_ids\":[\"" + java.util.UUID.randomUUID() + "\"],\"file_type\":\"json\"}");
        assertEquals(400, r.status());
        Client.Response badType = client.post("/v3/marketing/contacts/exports", "{\"file_type\":\"xml\"}");
        assertEquals(400, badType.status());
    }
}
