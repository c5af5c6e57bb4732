package dev.junction.platform.objectsync;

import dev.junction.platform.support.InboxDrain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.plugin.fixtures.ObjectsFixture;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.SendGridWebhookData;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static dev.junction.platform.objectsync.ObjectSyncTests.dataset;
import static dev.junction.platform.objectsync.ObjectSyncTests.install;
import static dev.junction.platform.objectsync.ObjectSyncTests.query;
import static dev.junction.platform.objectsync.ObjectSyncTests.rows;
import static dev.junction.platform.objectsync.ObjectSyncTests.runToEnd;
import static dev.junction.platform.objectsync.ObjectSyncTests.runsPath;
import static dev.junction.platform.objectsync.ObjectSyncTests.schemaExists;
import static dev.junction.platform.objectsync.ObjectSyncTests.schemaOf;
import static dev.junction.platform.objectsync.ObjectSyncTests.state;
import static dev.junction.platform.objectsync.ObjectSyncTests.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object sync through the HTTP API on PostgreSQL, with the objects fixture connector: install
 * settings, the schema and tables, runs and what they write, deletions, the read API, tenancy
 * and roles, and deleting an installation with or without its data.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectSyncApiTest extends ApiTestBase implements TestPropertyProvider {

    private static final String INSTALL = "/v1/admin/integration-catalog/" + ObjectsFixture.SLUG + "/install";
    private static final Map<String, Object> MANUAL = Map.of("interval", "off");

    private static final String THREE_CONTACTS = """
            {"contacts": [
              {"id": "c1", "email": "ada@example.com", "first_name": "Ada", "age": 36, "score": 9.5, "vip": true,
               "created": "2024-01-02T03:04:05Z", "attrs": {"plan": "pro", "seats": 3}, "tags": ["a", "b"]},
              {"id": "c2", "email": "grace@example.com", "first_name": "Grace", "age": "85", "score": 7, "vip": false},
              {"id": "c3", "email": "alan@example.com", "first_name": "Alan", "age": "not a number"}],
             "lists": [{"id": 1, "name": "Everyone", "size": 3}, {"id": 2, "name": "VIPs", "size": 1}]}""";

    @Override
    public Map<String, String> getProperties() {
        return ObjectSyncTests.properties(ObjectSyncTests.pluginsDir(1));
    }

    private static String collection(String installation, String name) {
        return "/v1/admin/installations/" + installation + "/collections/" + name;
    }

    /** A tenant's admin and an installation whose first run synced {@link #THREE_CONTACTS}. */
    private record Synced(String tenant, Api admin, String id, String run) { }

    private Synced syncedThreeContacts(String prefix) {
        String tenant = newTenant(prefix);
        Api admin = tenantAdmin(tenant);
        String id = install(admin, MANUAL);
        dataset(id, THREE_CONTACTS);
        JsonNode run = runToEnd(admin, id);
        assertEquals("succeeded", run.get("status").asText());
        return new Synced(tenant, admin, id, run.get("id").asText());
    }

    private static Map<String, JsonNode> byId(List<JsonNode> rows) {
        Map<String, JsonNode> out = new TreeMap<>();
        rows.forEach(r -> out.put(r.get("id").asText(), r));
        return out;
    }

    @Test
    void theDefaultSchemaIsCreatedWithATablePerCollectionAndTheEventsTable() {
        Api admin = tenantAdmin(newTenant("obj-default"));
        Api.Response r = admin.post(INSTALL, Map.of("config", Map.of()));
        assertEquals(201, r.status(), r.toString());
        String id = r.json().get("id").asText();
        JsonNode objectSync = r.json().get("object_sync");
        String schema = objectSync.get("schema").asText();
        assertEquals("fixture_objects_" + id.replace("-", "").substring(0, 8), schema);
        assertEquals("3h", objectSync.get("interval").asText());
        assertEquals("events", objectSync.get("events_table").asText());
        assertTrue(schemaExists(schema));
        assertEquals(List.of("contacts", "events", "lists"), tables(schema));
        assertEquals(List.of("id", "email", "first_name", "age", "score", "vip", "created", "attrs", "tags", "raw", "synced_at", "deleted_at"),
                query("SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'contacts' "
                        + "ORDER BY ordinal_position", schema).stream().map(c -> (String) c.get(0)).toList());
        assertEquals(List.of("text", "bigint", "double precision", "boolean", "timestamp with time zone", "jsonb", "ARRAY"),
                query("SELECT data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = 'contacts' "
                        + "AND column_name IN ('email', 'age', 'score', 'vip', 'created', 'attrs', 'tags') ORDER BY ordinal_position",
                        schema).stream().map(c -> (String) c.get(0)).toList());

        JsonNode collections = admin.get("/v1/admin/installations/" + id + "/collections").json();
        assertEquals(schema, collections.get("schema").asText());
        assertEquals(List.of("contacts", "lists"), names(collections.get("items")));
        assertEquals("id", collections.at("/items/0/key_column").asText());
        assertEquals("text_array", collections.at("/items/0/columns/8/type").asText());
    }

    @Test
    void theVerbatimSendGridInstallStillWorksAndConnectorsWithoutObjectSyncRefuseTheField() {
        Api admin = tenantAdmin(newTenant("obj-sg"));
        Api.Response sendgrid = admin.post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("name", "SendGrid", "variant", "default", "config", Map.of("api_key", "SG.x"), "delivery_mode", "server_side"));
        assertEquals(201, sendgrid.status(), sendgrid.toString());
        Api.Response klaviyo = admin.post("/v1/admin/integration-catalog/klaviyo/install?check=false",
                Map.of("config", Map.of("api_key", "pk_x"), "object_sync", Map.of("interval", "1h")));
        assertEquals(422, klaviyo.status(), klaviyo.toString());
        assertEquals("/object_sync", klaviyo.json().at("/errors/0/pointer").asText());
    }

    @Test
    void aCustomSchemaAndIntervalAreKeptAndTheIntervalCanBeChanged() {
        Api admin = tenantAdmin(newTenant("obj-custom"));
        String schema = "crm_" + UUID.randomUUID().toString().substring(0, 8);
        String id = install(admin, Map.of("schema", schema, "interval", "15m"));
        JsonNode view = admin.get("/v1/admin/installations/" + id).json().get("object_sync");
        assertEquals(schema, view.get("schema").asText());
        assertEquals("15m", view.get("interval").asText());
        assertTrue(schemaExists(schema));

        Api.Response daily = admin.patch("/v1/admin/installations/" + id, Map.of("object_sync", Map.of("interval", "1d")));
        assertEquals(200, daily.status(), daily.toString());
        assertEquals("1d", daily.json().at("/object_sync/interval").asText());
        Instant next = Instant.parse(daily.json().at("/object_sync/next_run_at").asText());
        assertTrue(next.isAfter(Instant.now().plus(Duration.ofHours(23))), next.toString());

        Api.Response off = admin.patch("/v1/admin/installations/" + id, Map.of("object_sync", Map.of("interval", "off")));
        assertEquals("off", off.json().at("/object_sync/interval").asText());
        assertFalse(off.json().get("object_sync").has("next_run_at"));

        Api.Response tooOften = admin.patch("/v1/admin/installations/" + id, Map.of("object_sync", Map.of("interval", "5m")));
        assertEquals(422, tooOften.status());
        assertEquals("/object_sync/interval", tooOften.json().at("/errors/0/pointer").asText());
        Api.Response rename = admin.patch("/v1/admin/installations/" + id, Map.of("object_sync", Map.of("schema", "other_name")));
        assertEquals(422, rename.status());
        assertEquals("/object_sync/schema", rename.json().at("/errors/0/pointer").asText());
        assertEquals("off", admin.get("/v1/admin/installations/" + id).json().at("/object_sync/interval").asText(), "unchanged");
    }

    @Test
    void badReservedAndTakenSchemaNamesAreRefusedAndNothingIsCreated() {
        String tenant = newTenant("obj-bad");
        Api admin = tenantAdmin(tenant);
        String taken = "taken_" + UUID.randomUUID().toString().substring(0, 8);
        install(admin, Map.of("schema", taken, "interval", "off"));
        String foreign = "foreign_" + UUID.randomUUID().toString().substring(0, 8);
        ObjectSyncTests.sql("CREATE SCHEMA " + foreign);
        long schemasBefore = (Long) query("SELECT count(*) FROM pg_namespace").get(0).get(0);

        for (String bad : List.of("Upper", "1digit", "has-dash", "quote\"s", "a".repeat(64), "")) {
            Api.Response r = admin.post(INSTALL, Map.of("config", Map.of(), "object_sync", Map.of("schema", bad)));
            assertEquals(422, r.status(), bad + ": " + r);
            assertEquals("application/problem+json", r.contentType());
            assertEquals("/object_sync/schema", r.json().at("/errors/0/pointer").asText(), bad);
        }
        for (String reserved : List.of("public", "information_schema", "pg_catalog", "pg_mine")) {
            Api.Response r = admin.post(INSTALL, Map.of("config", Map.of(), "object_sync", Map.of("schema", reserved)));
            assertEquals(422, r.status(), reserved + ": " + r);
            assertTrue(r.json().at("/errors/0/message").asText().contains("reserved"), r.toString());
        }
        for (String existing : List.of(taken, foreign)) {
            Api.Response r = admin.post(INSTALL, Map.of("config", Map.of(), "object_sync", Map.of("schema", existing)));
            assertEquals(409, r.status(), existing + ": " + r);
            assertEquals("https://junction.dev/problems/schema-taken", r.json().get("type").asText());
        }
        Api.Response other = tenantAdmin(newTenant("obj-bad-b")).post(INSTALL, Map.of("config", Map.of(), "object_sync", Map.of("schema", taken)));
        assertEquals(409, other.status(), "unique in the whole database, not per tenant");
        Api.Response badInterval = admin.post(INSTALL, Map.of("config", Map.of(), "object_sync", Map.of("interval", "10m", "colour", "red")));
        assertEquals(422, badInterval.status());
        assertEquals(Set.of("/object_sync/interval", "/object_sync/colour"), pointers(badInterval.json()));

        assertEquals(1, admin.get("/v1/admin/installations").json().get("items").size(), "only the first installation exists");
        assertEquals(schemasBefore, (Long) query("SELECT count(*) FROM pg_namespace").get(0).get(0), "no schema was created");
    }

    @Test
    void aFirstRunFillsEveryCollectionWithTypedColumns() {
        Api admin = tenantAdmin(newTenant("obj-first"));
        String id = install(admin, MANUAL);
        dataset(id, THREE_CONTACTS);
        JsonNode run = runToEnd(admin, id);
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals("manual", run.get("trigger").asText());
        JsonNode contacts = run.at("/collections/contacts");
        assertEquals(3, contacts.get("upserted").asInt());
        assertEquals(3, contacts.get("inserted").asInt());
        assertEquals(0, contacts.get("deleted").asInt());
        assertEquals(1, contacts.get("invalid_values").asInt(), "Alan's age");
        assertTrue(contacts.get("complete").asBoolean());
        assertEquals(2, run.at("/collections/lists/upserted").asInt());

        Map<String, JsonNode> rows = byId(rows(admin, id, "contacts", false));
        assertEquals(Set.of("c1", "c2", "c3"), rows.keySet());
        JsonNode ada = rows.get("c1");
        assertEquals(36, ada.get("age").asLong());
        assertTrue(ada.get("age").isIntegralNumber());
        assertEquals(9.5, ada.get("score").asDouble());
        assertTrue(ada.get("vip").isBoolean() && ada.get("vip").asBoolean());
        assertEquals(Instant.parse("2024-01-02T03:04:05Z"), Instant.parse(ada.get("created").asText().replace("+00:00", "Z")));
        assertEquals("pro", ada.at("/attrs/plan").asText());
        assertEquals(3, ada.at("/attrs/seats").asInt());
        assertEquals(List.of("a", "b"), List.of(ada.at("/tags/0").asText(), ada.at("/tags/1").asText()));
        assertEquals("ada@example.com", ada.at("/raw/email").asText(), "the vendor's object");
        assertTrue(ada.get("deleted_at").isNull());
        assertTrue(ada.hasNonNull("synced_at"));
        assertEquals(85, rows.get("c2").get("age").asLong(), "\"85\" is a bigint");
        assertTrue(rows.get("c3").get("age").isNull(), "not a number: NULL, kept in raw");
        assertEquals("not a number", rows.get("c3").at("/raw/age").asText());

        List<JsonNode> lists = rows(admin, id, "lists", false);
        assertEquals(List.of(1L, 2L), lists.stream().map(l -> l.get("id").asLong()).toList(), "bigint keys in numeric order");

        JsonNode collections = admin.get("/v1/admin/installations/" + id + "/collections").json().get("items");
        assertEquals(3, collections.get(0).get("row_count").asLong());
        assertEquals(0, collections.get(0).get("deleted_count").asLong());
        assertEquals("exact", collections.get(0).get("count").asText());
        assertTrue(collections.get(0).hasNonNull("last_synced_at") && collections.get(0).hasNonNull("last_complete_at"));
        assertEquals(3L, query("SELECT count(*) FROM " + schemaOf(admin, id) + ".contacts").get(0).get(0), "plain SQL sees them");
    }

    @Test
    void awkwardValuesArriveExactly() {
        Api admin = tenantAdmin(newTenant("obj-awkward"));
        String id = install(admin, MANUAL);
        dataset(id, """
                {"contacts": [{"id": "c\\t1", "email": "zoë@例え.jp", "first_name": "tab\\there\\nnew line \\\\N back\\\\slash\\r",
                  "tags": ["a,b", "q\\"uote", "back\\\\slash", null, "{braces}", "NULL", "", "  "],
                  "attrs": {"k": "v\\twith tab", "nested": {"a": [1, 2.5, null]}, "emoji": "😀"}, "score": 1e-7}]}""");
        assertEquals("succeeded", runToEnd(admin, id).get("status").asText());
        JsonNode row = rows(admin, id, "contacts", false).get(0);
        assertEquals("c\t1", row.get("id").asText());
        assertEquals("zoë@例え.jp", row.get("email").asText());
        assertEquals("tab\there\nnew line \\N back\\slash\r", row.get("first_name").asText());
        List<String> tags = new java.util.ArrayList<>();
        row.get("tags").forEach(t -> tags.add(t.isNull() ? null : t.asText()));
        assertEquals(java.util.Arrays.asList("a,b", "q\"uote", "back\\slash", null, "{braces}", "NULL", "", "  "), tags);
        assertEquals("v\twith tab", row.at("/attrs/k").asText());
        assertEquals(2.5, row.at("/attrs/nested/a/1").asDouble());
        assertTrue(row.at("/attrs/nested/a/2").isNull());
        assertEquals("😀", row.at("/attrs/emoji").asText());
        assertEquals(1e-7, row.get("score").asDouble());
        assertEquals("tab\there\nnew line \\N back\\slash\r", row.at("/raw/first_name").asText(), "raw too");
    }

    @Test
    void changesShowAfterTheNextRunMissingObjectsAreMarkedDeletedAndComeBack() {
        Synced synced = syncedThreeContacts("obj-change");
        Api admin = synced.admin();
        String id = synced.id();

        dataset(id, """
                {"contacts": [
                  {"id": "c1", "email": "ada@example.com", "first_name": "Augusta", "age": 37},
                  {"id": "c3", "email": "alan@example.com", "first_name": "Alan"},
                  {"id": "c4", "email": "new@example.com", "first_name": "Newton"}]}""");
        JsonNode second = runToEnd(admin, id);
        JsonNode counts = second.at("/collections/contacts");
        assertEquals(3, counts.get("upserted").asInt());
        assertEquals(1, counts.get("inserted").asInt());
        assertEquals(1, counts.get("deleted").asInt(), "c2 was not emitted by a complete pass");
        assertFalse(second.get("collections").has("lists"), "lists were not synced this time");

        Map<String, JsonNode> live = byId(rows(admin, id, "contacts", false));
        assertEquals(Set.of("c1", "c3", "c4"), live.keySet());
        assertEquals("Augusta", live.get("c1").get("first_name").asText(), "the new value");
        assertTrue(live.get("c1").get("tags").isNull(), "a value no longer sent is no longer there");
        Map<String, JsonNode> all = byId(rows(admin, id, "contacts", true));
        assertFalse(all.get("c2").get("deleted_at").isNull());
        assertEquals(2, rows(admin, id, "lists", false).size(), "a collection not synced keeps its rows");
        JsonNode contacts = admin.get("/v1/admin/installations/" + id + "/collections").json().at("/items/0");
        assertEquals(3, contacts.get("row_count").asLong());
        assertEquals(1, contacts.get("deleted_count").asLong());

        dataset(id, THREE_CONTACTS);
        JsonNode third = runToEnd(admin, id);
        assertEquals(1, third.at("/collections/contacts/deleted").asInt(), "c4 goes");
        Map<String, JsonNode> back = byId(rows(admin, id, "contacts", true));
        assertTrue(back.get("c2").get("deleted_at").isNull(), "c2 came back");
        assertFalse(back.get("c4").get("deleted_at").isNull());
        assertEquals("Ada", back.get("c1").get("first_name").asText());
    }

    @Test
    void anIncompletePassMarksNothingDeleted() {
        Synced synced = syncedThreeContacts("obj-incomplete");
        Api admin = synced.admin();
        String id = synced.id();
        dataset(id, """
                {"contacts": [{"id": "c1", "first_name": "Only Ada"}], "lists": [{"id": 1, "name": "Everyone"}],
                 "incomplete": ["contacts"]}""");
        JsonNode run = runToEnd(admin, id);
        assertEquals("succeeded", run.get("status").asText());
        assertFalse(run.at("/collections/contacts/complete").asBoolean());
        assertEquals(0, run.at("/collections/contacts/deleted").asInt());
        assertEquals(1, run.at("/collections/lists/deleted").asInt(), "the complete pass over lists does delete");
        Map<String, JsonNode> contacts = byId(rows(admin, id, "contacts", false));
        assertEquals(Set.of("c1", "c2", "c3"), contacts.keySet(), "nothing deleted");
        assertEquals("Only Ada", contacts.get("c1").get("first_name").asText(), "but what it emitted is written");
    }

    @Test
    void manyRowsGoThroughInBatchesWithRepeatedKeys() {
        Api admin = tenantAdmin(newTenant("obj-many"));
        String id = install(admin, MANUAL);
        dataset(id, "{\"generate\": {\"contacts\": 25000}}");
        JsonNode run = runToEnd(admin, id);
        assertEquals(25000, run.at("/collections/contacts/upserted").asInt(), run.toString());
        dataset(id, "{\"generate\": {\"contacts\": 24000}}");
        JsonNode second = runToEnd(admin, id);
        assertEquals(1000, second.at("/collections/contacts/deleted").asInt());
        assertEquals(0, second.at("/collections/contacts/inserted").asInt());
        JsonNode contacts = admin.get("/v1/admin/installations/" + id + "/collections").json().at("/items/0");
        assertEquals(24000, contacts.get("row_count").asLong());
        assertEquals(1000, contacts.get("deleted_count").asLong());

        dataset(id, "{\"contacts\": [{\"id\": \"x\", \"first_name\": \"first\"}, {\"id\": \"x\", \"first_name\": \"second\"}, "
                + "{\"first_name\": \"no key\"}], \"incomplete\": [\"contacts\"]}");
        JsonNode repeated = runToEnd(admin, id);
        assertEquals("succeeded", repeated.get("status").asText(), repeated.toString());
        assertEquals(2, repeated.at("/collections/contacts/upserted").asInt());
        assertEquals(1, repeated.at("/collections/contacts/skipped").asInt());
        JsonNode last = admin.get(collection(id, "contacts") + "?limit=1&cursor="
                + dev.junction.platform.web.Cursor.of("w")).json();
        assertEquals("x", last.at("/items/0/id").asText());
        assertEquals("second", last.at("/items/0/first_name").asText(), "the later of two records with one key wins");
    }

    @Test
    void rowsAndRunsArePagedByKeyAndNewestFirst() {
        Api admin = tenantAdmin(newTenant("obj-pages"));
        String id = install(admin, MANUAL);
        StringBuilder rows = new StringBuilder("{\"lists\": [");
        for (int i = 1; i <= 7; i++) {
            rows.append(i > 1 ? "," : "").append("{\"id\": ").append(i * 10).append(", \"name\": \"L").append(i).append("\"}");
        }
        dataset(id, rows.append("]}").toString());
        String firstRun = runToEnd(admin, id).get("id").asText();
        String secondRun = runToEnd(admin, id).get("id").asText();

        JsonNode page1 = admin.get(collection(id, "lists") + "?limit=3").json();
        assertEquals(List.of(10L, 20L, 30L), ids(page1));
        JsonNode page2 = admin.get(collection(id, "lists") + "?limit=3&cursor=" + page1.get("next_cursor").asText()).json();
        assertEquals(List.of(40L, 50L, 60L), ids(page2));
        JsonNode page3 = admin.get(collection(id, "lists") + "?limit=3&cursor=" + page2.get("next_cursor").asText()).json();
        assertEquals(List.of(70L), ids(page3));
        assertFalse(page3.has("next_cursor"));
        assertEquals(422, admin.get(collection(id, "lists") + "?cursor=bm90LWEtbnVtYmVy").status(), "not a key of this collection");
        assertEquals(422, admin.get(collection(id, "lists") + "?limit=0").status());
        assertEquals(404, admin.get(collection(id, "nope")).status());
        assertEquals(404, admin.get(collection(id, "events")).status(), "the events table is no collection");
        assertEquals(404, admin.get(collection(id, "Robert%27%29%3B%20DROP%20TABLE")).status());

        JsonNode runs = admin.get(runsPath(id) + "?limit=1").json();
        assertEquals(secondRun, runs.at("/items/0/id").asText(), "newest first");
        JsonNode older = admin.get(runsPath(id) + "?limit=1&cursor=" + runs.get("next_cursor").asText()).json();
        assertEquals(firstRun, older.at("/items/0/id").asText());
        assertEquals(422, admin.get(runsPath(id) + "?cursor=garbage").status());
    }

    @Test
    void twoInstallationsKeepSeparateSchemas() {
        Api admin = tenantAdmin(newTenant("obj-two"));
        String a = install(admin, MANUAL);
        String b = install(admin, MANUAL);
        dataset(a, "{\"lists\": [{\"id\": 1, \"name\": \"from a\"}]}");
        dataset(b, "{\"lists\": [{\"id\": 1, \"name\": \"from b\"}, {\"id\": 2, \"name\": \"also b\"}]}");
        runToEnd(admin, a);
        runToEnd(admin, b);
        assertNotEquals(schemaOf(admin, a), schemaOf(admin, b));
        assertEquals(List.of("from a"), rows(admin, a, "lists", false).stream().map(r -> r.get("name").asText()).toList());
        assertEquals(List.of("from b", "also b"), rows(admin, b, "lists", false).stream().map(r -> r.get("name").asText()).toList());
    }

    @Test
    void anotherTenantSeesNeitherCollectionsNorRuns() {
        Synced synced = syncedThreeContacts("obj-iso-a");
        String tenant = synced.tenant();
        Api admin = synced.admin();
        String id = synced.id();
        String run = synced.run();
        for (Api other : List.of(tenantAdmin(newTenant("obj-iso-b")), viewer(newTenant("obj-iso-c")))) {
            assertEquals(404, other.get("/v1/admin/installations/" + id + "/collections").status());
            assertEquals(404, other.get(collection(id, "contacts")).status());
            assertEquals(404, other.get(runsPath(id)).status());
            assertEquals(404, other.get(runsPath(id) + "/" + run).status());
        }
        assertEquals(404, tenantAdmin(newTenant("obj-iso-d")).post(runsPath(id).replace("/runs", "/run"), Map.of()).status());
        assertEquals(200, platformAdminOf(tenant).get(collection(id, "contacts")).status(), "the platform admin naming the tenant");
        assertEquals(404, admin.get(runsPath(id) + "/" + UUID.randomUUID()).status());
    }

    @Test
    void aViewerReadsButCannotStartRuns() {
        Synced synced = syncedThreeContacts("obj-viewer");
        String tenant = synced.tenant();
        String id = synced.id();
        Api viewer = viewer(tenant);
        assertEquals(200, viewer.get("/v1/admin/installations/" + id + "/collections").status());
        assertEquals(3, viewer.get(collection(id, "contacts")).json().get("items").size());
        assertEquals(200, viewer.get(runsPath(id)).status());
        Api.Response refused = viewer.post(runsPath(id).replace("/runs", "/run"), Map.of());
        assertEquals(403, refused.status());
        assertEquals(1, tenantAdmin(tenant).get(runsPath(id)).json().get("items").size(), "no run was queued");
    }

    @Test
    void aSecondRunIsRefusedWhileOneIsRunningAndAQueuedOneIsJoined() {
        Api admin = tenantAdmin(newTenant("obj-busy"));
        String id = install(admin, MANUAL);
        dataset(id, "{\"lists\": [{\"id\": 1, \"name\": \"slow\"}], \"sleep_ms\": 2500}");
        String run = admin.post(runsPath(id).replace("/runs", "/run"), Map.of()).json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!admin.get(runsPath(id) + "/" + run).json().get("status").asText().equals("running")) {
            assertTrue(System.nanoTime() < deadline, "the run never started");
            ObjectSyncTests.sleep(50);
        }
        Api.Response again = admin.post(runsPath(id).replace("/runs", "/run"), Map.of());
        assertEquals(409, again.status(), again.toString());
        assertEquals("https://junction.dev/problems/run-in-progress", again.json().get("type").asText());
        assertEquals(run, again.json().at("/details/run_id").asText());
        assertEquals("succeeded", ObjectSyncTests.awaitEnd(admin, id, run).get("status").asText());
        assertNull(state(id, "overlap"));

        dataset(id, "{}");
        ObjectSyncTests.sql("UPDATE object_sync_run SET status = 'queued', not_before = now() + interval '1 hour', "
                + "finished_at = NULL WHERE id = ?", UUID.fromString(run));
        Api.Response joined = admin.post(runsPath(id).replace("/runs", "/run"), Map.of());
        assertEquals(202, joined.status());
        assertEquals(run, joined.json().get("id").asText(), "a queued run is joined, not doubled");
    }

    @Test
    void anAttemptThatWasTakenOverWritesNothingMoreAndDisablesNothing() {
        Synced synced = syncedThreeContacts("obj-takeover");
        Api admin = synced.admin();
        String id = synced.id();
        dataset(id, "{\"contacts\": [{\"id\": \"c1\", \"first_name\": \"Ada\"}], \"sleep_ms\": 1500}");
        String run = admin.post(runsPath(id).replace("/runs", "/run"), Map.of()).json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!admin.get(runsPath(id) + "/" + run).json().get("status").asText().equals("running")) {
            assertTrue(System.nanoTime() < deadline, "the run never started");
            ObjectSyncTests.sleep(50);
        }
        ObjectSyncTests.sleep(400); // the first attempt has emitted c1 and waits before completing
        // as if its replica had stopped beating: the run is resumed (here, by this replica) while the first attempt still runs
        ObjectSyncTests.sql("UPDATE object_sync_run SET claimed_by = 'a-silent-replica', heartbeat_at = now() - interval '5 minutes' "
                + "WHERE id = ?", UUID.fromString(run));

        JsonNode done = ObjectSyncTests.awaitEnd(admin, id, run);
        assertEquals("succeeded", done.get("status").asText(), done.toString());
        assertEquals(2, done.get("attempt").asInt());
        assertEquals("yes", state(id, "overlap"), "the two attempts did run at the same time");
        ObjectSyncTests.sleep(1500); // the first attempt has tried to complete by now
        assertEquals(2, done.at("/collections/contacts/deleted").asInt());
        assertEquals("succeeded", admin.get(runsPath(id) + "/" + run).json().get("status").asText(), "the old attempt changed nothing");
        assertEquals(Set.of("c1"), byId(rows(admin, id, "contacts", false)).keySet());
        assertEquals(2L, query("SELECT deleted_count FROM object_sync_collection WHERE installation_id = ? AND name = 'contacts'",
                UUID.fromString(id)).get(0).get(0));
        assertEquals("available", admin.get("/v1/admin/integration-catalog/" + ObjectsFixture.SLUG).json().get("status").asText(),
                "the platform's refusal is not the plugin's defect");
    }

    @Test
    void aRetriableFailureIsRetriedAndAPermanentOneFails() {
        Api admin = tenantAdmin(newTenant("obj-retry"));
        String flaky = install(admin, MANUAL);
        dataset(flaky, "{\"lists\": [{\"id\": 1, \"name\": \"x\"}], \"fail\": \"retriable-once\"}");
        JsonNode run = runToEnd(admin, flaky);
        assertEquals("succeeded", run.get("status").asText(), run.toString());
        assertEquals(2, run.get("attempt").asInt());
        assertEquals("2", state(flaky, "attempts"));
        assertEquals(1, rows(admin, flaky, "lists", false).size());

        String broken = install(admin, MANUAL);
        dataset(broken, "{\"lists\": [{\"id\": 1, \"name\": \"x\"}], \"fail\": \"permanent\"}");
        JsonNode failed = runToEnd(admin, broken);
        assertEquals("failed", failed.get("status").asText());
        assertEquals("The vendor refused the export for good", failed.get("error").asText());
        assertEquals(1, failed.get("attempt").asInt());
        JsonNode events = admin.get("/v1/admin/events?installation_id=" + broken + "&name=object%20sync%20failed").json();
        assertEquals(1, events.get("items").size(), "the run is in the event log");
    }

    @Test
    void scheduledRunsStartWhenDueAndARunOfADeadReplicaIsResumed() {
        Api admin = tenantAdmin(newTenant("obj-sched"));
        String id = install(admin, Map.of("interval", "15m"));
        dataset(id, "{\"lists\": [{\"id\": 1, \"name\": \"scheduled\"}]}");
        JsonNode runs = ObjectSyncTests.awaitRuns(admin, id);
        assertEquals("scheduled", runs.get(0).get("trigger").asText(), "the first run is due at install");
        ObjectSyncTests.awaitEnd(admin, id, runs.get(0).get("id").asText());
        Instant next = Instant.parse(admin.get("/v1/admin/installations/" + id).json().at("/object_sync/next_run_at").asText());
        assertTrue(next.isAfter(Instant.now().plus(Duration.ofMinutes(14))), next.toString());

        UUID orphan = UUID.randomUUID();
        ObjectSyncTests.sql("INSERT INTO object_sync_run (tenant_id, id, installation_id, status, trigger, attempt, not_before, "
                + "claimed_by, heartbeat_at, created_at, started_at) SELECT tenant_id, ?, installation_id, 'running', 'manual', 1, now(), "
                + "'a-dead-replica', now() - interval '5 minutes', now(), now() FROM object_sync WHERE installation_id = ?",
                orphan, UUID.fromString(id));
        JsonNode resumed = ObjectSyncTests.awaitEnd(admin, id, orphan.toString());
        assertEquals("succeeded", resumed.get("status").asText(), resumed.toString());
        assertEquals(2, resumed.get("attempt").asInt());
    }

    @Test
    void sendGridWebhookEventsAreAppendedToTheEventsTableOncePerEventId() {
        Api admin = tenantAdmin(newTenant("obj-events"));
        Api.Response installed = admin.post(INSTALL, Map.of("config", Map.of(), "object_sync", MANUAL));
        String id = installed.json().get("id").asText();
        String path = java.net.URI.create(installed.json().get("webhook_url").asText()).getPath();
        String schema = installed.json().at("/object_sync/schema").asText();

        Api.Response r = api().send("POST", path, "application/json", SendGridWebhookData.sampleEvents());
        assertEquals(200, r.status(), r.toString());
        int accepted = r.json().get("accepted").asInt();
        assertEquals(14, accepted);
        InboxDrain.stream(id);
        List<List<Object>> events = query("SELECT event_id, event_name, email, occurred_at, raw->>'sg_event_id' FROM "
                + schema + ".events ORDER BY occurred_at");
        assertEquals(accepted, events.size(), "committed with the event log, behind the ack");
        assertEquals(query("SELECT dedupe_key FROM event_log WHERE installation_id = ? AND kind = 'webhook_event' ORDER BY dedupe_key",
                        UUID.fromString(id)).stream().map(e -> e.get(0)).toList(),
                events.stream().map(e -> e.get(0)).sorted().toList(), "the same events as the event log");
        assertTrue(events.stream().allMatch(e -> e.get(0).equals(e.get(4))), "event id is SendGrid's sg_event_id");
        assertTrue(events.stream().allMatch(e -> ((String) e.get(1)).startsWith("[Sendgrid] ")));
        assertEquals("example@test.com", events.get(0).get(2));

        String batch = SendGridWebhookData.batch(1000, UUID.randomUUID().toString());
        assertEquals(200, api().send("POST", path, "application/json", batch.getBytes(java.nio.charset.StandardCharsets.UTF_8)).status());
        Api.Response again = api().send("POST", path, "application/json", batch.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(1000, again.json().get("accepted").asInt(), "acknowledged again");
        InboxDrain.stream(id);
        assertEquals(1014L, query("SELECT count(*) FROM " + schema + ".events").get(0).get(0), "each event once");

        dataset(id, "{\"contacts\": [{\"id\": \"u6\", \"email\": \"user6@example.com\", \"first_name\": \"Six\"}]}");
        runToEnd(admin, id);
        List<List<Object>> joined = query("SELECT c.first_name, e.raw->>'event' FROM " + schema + ".contacts c JOIN " + schema
                + ".events e ON e.email = c.email");
        assertEquals(List.of(List.of("Six", "click")), joined, "objects and events join in SQL");
    }

    @Test
    void anInstallationWithoutObjectSyncSettingsGetsThemWithAPatch() {
        Api admin = tenantAdmin(newTenant("obj-late"));
        String id = install(admin, MANUAL);
        String old = schemaOf(admin, id);
        // as if installed before the connector could sync objects
        ObjectSyncTests.sql("DELETE FROM object_sync WHERE installation_id = ?", UUID.fromString(id));
        ObjectSyncTests.sql("DROP SCHEMA " + old + " CASCADE");
        assertFalse(admin.get("/v1/admin/installations/" + id).json().has("object_sync"));
        assertEquals(404, admin.get("/v1/admin/installations/" + id + "/collections").status());

        Api.Response patched = admin.patch("/v1/admin/installations/" + id, Map.of("object_sync", Map.of("interval", "off")));
        assertEquals(200, patched.status(), patched.toString());
        String schema = patched.json().at("/object_sync/schema").asText();
        assertTrue(schemaExists(schema));
        assertEquals(List.of("contacts", "events", "lists"), tables(schema));
        dataset(id, THREE_CONTACTS);
        assertEquals(3, runToEnd(admin, id).at("/collections/contacts/upserted").asInt());
    }

    @Test
    void deletingKeepsTheSchemaUnlessAskedToDropIt() {
        Synced synced = syncedThreeContacts("obj-delete");
        Api admin = synced.admin();
        String kept = synced.id();
        String keptSchema = schemaOf(admin, kept);
        Api.Response deleted = admin.delete("/v1/admin/installations/" + kept);
        assertEquals(204, deleted.status());
        assertEquals(keptSchema, deleted.headers().firstValue("Junction-Retained-Schema").orElse(null));
        assertTrue(schemaExists(keptSchema));
        assertEquals(3L, query("SELECT count(*) FROM " + keptSchema + ".contacts").get(0).get(0), "the data stays");
        assertEquals(0L, query("SELECT count(*) FROM object_sync WHERE installation_id = ?", UUID.fromString(kept)).get(0).get(0));
        Api.Response reuse = admin.post(INSTALL, Map.of("config", Map.of(), "object_sync", Map.of("schema", keptSchema)));
        assertEquals(409, reuse.status(), "a kept schema's name stays taken");

        String dropped = install(admin, MANUAL);
        String droppedSchema = schemaOf(admin, dropped);
        Api.Response gone = admin.delete("/v1/admin/installations/" + dropped + "?drop_data=true");
        assertEquals(204, gone.status());
        assertTrue(gone.headers().firstValue("Junction-Retained-Schema").isEmpty());
        assertFalse(schemaExists(droppedSchema));
        assertEquals(0L, query("SELECT count(*) FROM object_sync_run WHERE installation_id = ?", UUID.fromString(dropped)).get(0).get(0));
        install(admin, Map.of("schema", droppedSchema, "interval", "off"));
        assertTrue(schemaExists(droppedSchema), "a dropped schema's name is free again");
    }

    private static List<Long> ids(JsonNode page) {
        java.util.ArrayList<Long> out = new java.util.ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("id").asLong()));
        return out;
    }

    private static List<String> names(JsonNode items) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        items.forEach(i -> out.add(i.get("name").asText()));
        return out;
    }

    private static Set<String> pointers(JsonNode problem) {
        Set<String> out = new java.util.HashSet<>();
        problem.get("errors").forEach(e -> out.add(e.get("pointer").asText()));
        return out;
    }
}
