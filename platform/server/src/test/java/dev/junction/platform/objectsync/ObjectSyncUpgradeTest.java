package dev.junction.platform.objectsync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.Tokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.junction.platform.objectsync.ObjectSyncTests.dataset;
import static dev.junction.platform.objectsync.ObjectSyncTests.install;
import static dev.junction.platform.objectsync.ObjectSyncTests.query;
import static dev.junction.platform.objectsync.ObjectSyncTests.rows;
import static dev.junction.platform.objectsync.ObjectSyncTests.runToEnd;
import static dev.junction.platform.objectsync.ObjectSyncTests.schemaOf;
import static dev.junction.platform.objectsync.ObjectSyncTests.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin upgrade: the server restarted with version 2 of the fixture, which adds a column to a
 * collection and a new collection. The next run adds both; rows and other columns stay.
 */
class ObjectSyncUpgradeTest {

    private static EmbeddedServer server(int fixtureVersion) {
        Map<String, Object> p = new HashMap<>(ObjectSyncTests.properties(ObjectSyncTests.pluginsDir(fixtureVersion)));
        p.put("micronaut.server.port", -1);
        return ApplicationContext.run(EmbeddedServer.class, p, "test");
    }

    @Test
    void aNewPluginVersionAddsItsColumnAndCollectionOnTheNextRun() {
        String tenant = "obj-upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        String id;
        String schema;
        try (EmbeddedServer v1 = server(1)) {
            Api platform = new Api(v1.getURI()).as(Tokens.platformAdmin());
            assertEquals(201, platform.post("/v1/admin/tenants", Map.of("slug", tenant, "name", "Upgrade")).status());
            Api admin = new Api(v1.getURI()).as(Tokens.tenantAdmin(tenant));
            id = install(admin, Map.of("interval", "off"));
            schema = schemaOf(admin, id);
            dataset(id, "{\"contacts\": [{\"id\": \"c1\", \"first_name\": \"Ada\", \"phone\": \"+44 1\"}, {\"id\": \"c2\", \"first_name\": \"Grace\"}]}");
            assertEquals("succeeded", runToEnd(admin, id).get("status").asText());
            assertEquals(List.of("contacts", "events", "lists"), tables(schema));
        }
        try (EmbeddedServer v2 = server(2)) {
            Api admin = new Api(v2.getURI()).as(Tokens.tenantAdmin(tenant));
            dataset(id, "{\"contacts\": [{\"id\": \"c1\", \"first_name\": \"Ada\", \"phone\": \"+44 1\"}, {\"id\": \"c3\", \"first_name\": \"Alan\"}], "
                    + "\"segments\": [{\"id\": \"s1\", \"query\": \"age > 30\"}]}");
            JsonNode run = runToEnd(admin, id);
            assertEquals("succeeded", run.get("status").asText(), run.toString());
            assertEquals(List.of("contacts", "events", "lists", "segments"), tables(schema));
            List<String> columns = query("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                    + "AND table_name = 'contacts' ORDER BY ordinal_position", schema).stream().map(r -> (String) r.get(0)).toList();
            assertEquals("phone", columns.get(columns.size() - 1), "added, never a rebuilt table: " + columns);
            assertTrue(columns.containsAll(List.of("id", "email", "tags", "raw", "synced_at", "deleted_at")));

            Map<String, JsonNode> contacts = new HashMap<>();
            rows(admin, id, "contacts", true).forEach(r -> contacts.put(r.get("id").asText(), r));
            assertEquals("+44 1", contacts.get("c1").get("phone").asText());
            assertTrue(contacts.get("c2").get("phone").isNull());
            assertTrue(!contacts.get("c2").get("deleted_at").isNull(), "c2 was not in the complete pass");
            assertEquals("age > 30", rows(admin, id, "segments", false).get(0).get("query").asText());
            JsonNode listed = admin.get("/v1/admin/installations/" + id + "/collections").json().get("items");
            assertEquals(3, listed.size());
            assertEquals("phone", listed.get(0).get("columns").get(listed.get(0).get("columns").size() - 1).get("name").asText());
        }
    }
}
