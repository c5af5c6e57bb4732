package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CustomFieldsAndSegmentsTest extends FakeSendGridTestBase {

    @Test
    @DisplayName("custom fields are created, listed, renamed and deleted (id format: G7)")
    void createListRenameAndDeleteCustomFields() {
        Client.Response created = client.post("/v3/marketing/field_definitions", "{\"name\":\"loyalty_tier\",\"field_type\":\"Text\"}");
        assertEquals(200, created.status(), created.text());
        String id = created.json().get("id").asText();
        assertTrue(id.matches("e\\d+_T"), id);
        assertEquals("Text", created.json().get("field_type").asText());

        JsonNode all = client.get("/v3/marketing/field_definitions").json();
        assertEquals(1, all.get("custom_fields").size());
        assertEquals("loyalty_tier", all.at("/custom_fields/0/name").asText());
        assertTrue(all.get("reserved_fields").size() > 10);
        assertTrue(all.get("reserved_fields").toString().contains("\"name\":\"first_name\""));

        assertEquals(200, client.patch("/v3/marketing/field_definitions/" + id, "{\"name\":\"tier\"}").status());
        assertEquals("tier", fake.customField(id).orElseThrow().name());
        assertEquals(204, client.delete("/v3/marketing/field_definitions/" + id).status());
        assertEquals(404, client.delete("/v3/marketing/field_definitions/" + id).status());
        assertEquals(List.of(), fake.customFields());
        fake.assertNoViolations();
    }

    @Test
    void fieldNamesFollowTheSpecRules() {
        fake.addCustomField("CamelCase", FieldType.NUMBER);
        Client.Response dup = client.post("/v3/marketing/field_definitions", "{\"name\":\"camelcase\",\"field_type\":\"Number\"}");
        assertEquals(400, dup.status());
        assertTrue(dup.text().contains("case-insensitively unique"), dup.text());
        assertEquals(400, client.post("/v3/marketing/field_definitions", "{\"name\":\"first_name\",\"field_type\":\"Text\"}").status());
        assertEquals(400, client.post("/v3/marketing/field_definitions", "{\"name\":\"9lives\",\"field_type\":\"Text\"}").status());
        assertEquals(400, client.post("/v3/marketing/field_definitions", "{\"name\":\"has space\",\"field_type\":\"Text\"}").status());
        Client.Response badType = client.post("/v3/marketing/field_definitions", "{\"name\":\"ok\",\"field_type\":\"Boolean\"}");
        assertEquals(400, badType.status());
        assertFalse(fake.violations().isEmpty(), "field_type outside the spec's enum is an OpenAPI violation");
        fake.addCustomField("_ok_but_dup", FieldType.DATE);
        assertThrows(IllegalArgumentException.class, () -> fake.addCustomField("_OK_BUT_DUP", FieldType.DATE));
    }

    @Test
    @DisplayName("deleting a field drops its values (G7)")
    void deletingAFieldDropsItsValues() {
        CustomField f = fake.addCustomField("score", FieldType.NUMBER);
        fake.seedContact(ContactSeed.of("v@example.com").with("score", 5));
        assertEquals(5L, fake.contact("v@example.com").orElseThrow().customFields().get(f.id()));
        client.delete("/v3/marketing/field_definitions/" + f.id());
        assertTrue(fake.contact("v@example.com").orElseThrow().customFields().isEmpty());

        CustomField g = fake.addCustomField("grade", FieldType.TEXT);
        fake.seedContact(ContactSeed.of("v@example.com").with("grade", "A"));
        assertEquals(java.util.Map.of("grade", "A"), fake.customFieldValues("v@example.com"));
        fake.deleteCustomField("GRADE");
        assertTrue(fake.customField(g.id()).isEmpty());
        assertTrue(fake.customFieldValues("v@example.com").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> fake.deleteCustomField("grade"));
        assertThrows(IllegalArgumentException.class, () -> fake.customFieldValues("nobody@example.com"));
    }

    @Test
    @DisplayName("seeded segments are listed in both segment APIs (shapes: G12)")
    void seededSegmentsAreListedInBothSegmentApis() {
        String listId = fake.createList("parent").id();
        fake.seedContact(ContactSeed.of("s1@example.com"));
        fake.seedContact(ContactSeed.of("s2@example.com"));
        Segment seg = fake.addSegment("VIPs", "SELECT contact_id FROM contact_data WHERE tier = 'gold'", List.of(listId),
                List.of("s1@example.com", "S2@example.com"));
        assertEquals(2, seg.contactCount());

        JsonNode v1 = client.get("/v3/marketing/segments").json();
        assertEquals(seg.id(), v1.at("/results/0/id").asText());
        assertEquals("VIPs", v1.at("/results/0/name").asText());
        assertEquals(2, v1.at("/results/0/contacts_count").asInt());
        assertEquals(listId, v1.at("/results/0/parent_list_id").asText());

        JsonNode v2 = client.get("/v3/marketing/segments/2.0").json();
        assertEquals(2, v2.at("/results/0/contacts_count").asInt());
        assertEquals(listId, v2.at("/results/0/parent_list_ids/0").asText());

        JsonNode one = client.get("/v3/marketing/segments/2.0/" + seg.id()).json();
        assertEquals(seg.queryDsl(), one.get("query_dsl").asText());
        assertEquals(2, one.get("contacts_sample").size());
        assertEquals(seg.queryDsl(), client.get("/v3/marketing/segments/" + seg.id()).json().get("query_dsl").asText());

        assertEquals(0, client.get("/v3/marketing/segments?no_parent_list_id=true&parent_list_ids=" + java.util.UUID.randomUUID())
                .json().get("results").size());
        assertEquals(404, client.get("/v3/marketing/segments/2.0/" + java.util.UUID.randomUUID()).status());
        fake.assertNoViolations();
    }
}
