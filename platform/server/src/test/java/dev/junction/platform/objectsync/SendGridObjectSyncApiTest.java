package dev.junction.platform.objectsync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.ContactSeed;
import dev.junction.fakesendgrid.FakeList;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.FieldType;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.SendGridWebhookData;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.junction.platform.objectsync.ObjectSyncTests.query;
import static dev.junction.platform.objectsync.ObjectSyncTests.rows;
import static dev.junction.platform.objectsync.ObjectSyncTests.runToEnd;
import static dev.junction.platform.objectsync.ObjectSyncTests.schemaOf;
import static dev.junction.platform.objectsync.ObjectSyncTests.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SendGrid object sync end to end: the platform's runs, tables and read API, the SendGrid plugin
 * (lists, segments and field definitions paged, contacts through an export job streamed), and a
 * fake SendGrid account of this class's own, validating every request against SendGrid's OpenAPI.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendGridObjectSyncApiTest extends ApiTestBase implements TestPropertyProvider {

    /** An account of its own: an export returns every contact of the account. */
    private final FakeSendGrid sendgrid = FakeSendGrid.builder().exportDelay(Duration.ofMillis(100)).start();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("junction.sendgrid.api-url", sendgrid.baseUrl());
        p.put("junction.object-sync.poll-interval", "200ms");
        p.put("junction.object-sync.retry-base", "200ms");
        return p;
    }

    @AfterAll
    void stopFake() {
        sendgrid.assertNoViolations();
        sendgrid.close();
    }

    private String install(Api admin, Map<String, Object> objectSync) {
        Api.Response r = admin.post("/v1/admin/integration-catalog/sendgrid/install", Map.of("name", "SendGrid", "variant", "default",
                "config", Map.of("api_key", sendgrid.defaultApiKey()), "delivery_mode", "server_side", "object_sync", objectSync));
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    private static Map<String, JsonNode> byId(List<JsonNode> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.get("id").asText(), r -> r));
    }

    @Test
    void syncsEveryCollectionThenReflectsRenamesNewContactsAndDeletedLists() {
        FakeList newsletter = sendgrid.createList("Newsletter");
        FakeList vip = sendgrid.createList("VIP");
        FakeList trial = sendgrid.createList("Trial");
        sendgrid.addCustomField("plan", FieldType.TEXT);
        sendgrid.addCustomField("score", FieldType.NUMBER);
        List<ContactSeed> seeds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ContactSeed s = ContactSeed.of("Person" + i + "@Example.com").with("first_name", "P" + i).with("plan", i % 2 == 0 ? "pro" : "free")
                    .with("score", i);
            seeds.add(i < 10 ? s.inLists(newsletter.id(), vip.id()) : i < 30 ? s.inLists(newsletter.id()) : s.inLists(trial.id()));
        }
        sendgrid.seedContacts(seeds);
        sendgrid.addSegment("Pros", "SELECT contact_id FROM contact_data WHERE plan = 'pro'", List.of("person0@example.com"));

        String tenant = newTenant("objsg");
        Api admin = tenantAdmin(tenant);
        String installation = install(admin, Map.of("interval", "off"));
        JsonNode run = runToEnd(admin, installation);
        assertEquals("succeeded", run.get("status").asText(), run.toString());

        String schema = schemaOf(admin, installation);
        assertTrue(tables(schema).containsAll(List.of("contacts", "custom_field_definitions", "events", "list_memberships", "lists", "segments")),
                tables(schema).toString());
        JsonNode collections = admin.get("/v1/admin/installations/" + installation + "/collections").json();
        Map<String, Long> counts = new HashMap<>();
        collections.get("items").forEach(c -> counts.put(c.get("name").asText(), c.get("row_count").asLong()));
        // the account as the fake holds it (other tests of this class may have added lists)
        long memberships = sendgrid.lists().stream().mapToLong(l -> sendgrid.listMembers(l.id()).size()).sum();
        assertEquals((long) sendgrid.lists().size(), counts.get("lists"));
        assertEquals((long) sendgrid.contactCount(), counts.get("contacts"));
        assertEquals(memberships, counts.get("list_memberships"));
        assertEquals((long) sendgrid.segments().size(), counts.get("segments"));
        assertTrue(counts.get("custom_field_definitions") >= 2, counts.toString());

        Map<String, JsonNode> lists = byId(rows(admin, installation, "lists", false));
        assertEquals("Newsletter", lists.get(newsletter.id()).get("name").asText());
        assertEquals(30, lists.get(newsletter.id()).get("contact_count").asInt());
        JsonNode person3 = rows(admin, installation, "contacts", false).stream()
                .filter(c -> c.get("email").asText().equals("person3@example.com")).findFirst().orElseThrow();
        assertEquals("P3", person3.get("first_name").asText());
        assertEquals("free", person3.get("custom_fields").get("plan").asText());
        String person3Id = person3.get("id").asText();
        assertEquals(new TreeSet<>(Set.of(newsletter.id(), vip.id())), rows(admin, installation, "list_memberships", false).stream()
                .filter(m -> m.get("contact_id").asText().equals(person3Id)).map(m -> m.get("list_id").asText())
                .collect(Collectors.toCollection(TreeSet::new)), "memberships derived from the lists' exports");
        assertTrue(person3.get("raw").isObject(), "the full object is kept");

        // SendGrid changes: a list renamed, 20 more contacts, a list deleted
        sendgrid.renameList(vip.id(), "VIP customers");
        List<ContactSeed> more = new ArrayList<>();
        for (int i = 40; i < 60; i++) {
            more.add(ContactSeed.of("person" + i + "@example.com").inLists(newsletter.id()));
        }
        sendgrid.seedContacts(more);
        sendgrid.deleteList(trial.id());
        assertEquals("succeeded", runToEnd(admin, installation).get("status").asText());

        lists = byId(rows(admin, installation, "lists", false));
        assertEquals("VIP customers", lists.get(vip.id()).get("name").asText());
        assertEquals(50, lists.get(newsletter.id()).get("contact_count").asInt());
        assertTrue(!lists.containsKey(trial.id()), "a deleted list is not current");
        JsonNode deletedTrial = byId(rows(admin, installation, "lists", true)).get(trial.id());
        assertTrue(deletedTrial.hasNonNull("deleted_at"), "it is marked deleted, not silently kept: " + deletedTrial);
        assertEquals(sendgrid.contactCount(), rows(admin, installation, "contacts", false).size());
        assertEquals(60, rows(admin, installation, "contacts", false).stream().filter(c -> c.get("email").asText().startsWith("person")).count());
        assertTrue(rows(admin, installation, "list_memberships", false).stream().noneMatch(m -> m.get("list_id").asText().equals(trial.id())),
                "memberships of the deleted list are gone");
    }

    @Test
    void installationsKeepSeparateSchemasAndTenantsSeeOnlyTheirOwn() {
        sendgrid.createList("Shared account list " + UUID.randomUUID());
        String a = newTenant("objsg-a");
        String b = newTenant("objsg-b");
        String installationA = install(tenantAdmin(a), Map.of("interval", "off", "schema", "sg_a_" + UUID.randomUUID().toString().substring(0, 8)));
        String installationB = install(tenantAdmin(b), Map.of("interval", "off"));
        runToEnd(tenantAdmin(a), installationA);
        runToEnd(tenantAdmin(b), installationB);
        String schemaA = schemaOf(tenantAdmin(a), installationA);
        String schemaB = schemaOf(tenantAdmin(b), installationB);
        assertNotEquals(schemaA, schemaB);
        assertTrue(schemaA.startsWith("sg_a_") && schemaB.startsWith("sendgrid_"), schemaA + " " + schemaB);
        assertEquals(tables(schemaA), tables(schemaB), "the same collections, each in its own schema");

        for (String path : List.of("/collections", "/collections/lists", "/object-syncs/runs")) {
            assertEquals(404, tenantAdmin(b).get("/v1/admin/installations/" + installationA + path).status(), path);
        }
        assertEquals(404, tenantAdmin(b).post("/v1/admin/installations/" + installationA + "/object-syncs/run", Map.of()).status());
        assertEquals(200, viewer(a).get("/v1/admin/installations/" + installationA + "/collections/lists").status());
        assertEquals(403, viewer(a).post("/v1/admin/installations/" + installationA + "/object-syncs/run", Map.of()).status());
    }

    @Test
    void webhookEventsAreAppendedToTheEventsTableOncePerSgEventId() {
        String tenant = newTenant("objsg-events");
        Api admin = tenantAdmin(tenant);
        String installation = install(admin, Map.of("interval", "off"));
        String webhook = admin.get("/v1/admin/installations/" + installation).json().get("webhook_url").asText().replaceAll("^https?://[^/]+", "");
        byte[] events = SendGridWebhookData.sampleEvents();
        assertEquals(200, api().send("POST", webhook, "application/json", events).status());
        assertEquals(200, api().send("POST", webhook, "application/json", events).status(), "SendGrid's retry");
        String schema = schemaOf(admin, installation);
        long stored = (Long) query("SELECT count(*) FROM \"" + schema + "\".events").get(0).get(0);
        long distinct = (Long) query("SELECT count(DISTINCT event_id) FROM \"" + schema + "\".events").get(0).get(0);
        assertTrue(stored > 0);
        assertEquals(distinct, stored, "one row per sg_event_id");
    }
}
