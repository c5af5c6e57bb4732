package dev.junction.platform.objectsync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.Tokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.junction.platform.objectsync.ObjectSyncTests.dataset;
import static dev.junction.platform.objectsync.ObjectSyncTests.install;
import static dev.junction.platform.objectsync.ObjectSyncTests.query;
import static dev.junction.platform.objectsync.ObjectSyncTests.runsPath;
import static dev.junction.platform.objectsync.ObjectSyncTests.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas on one database, both polling: schedules that come due together are run once each,
 * by whichever replica claims them, and an installation never runs on both at once.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectSyncClusterTest extends ApiTestBase implements TestPropertyProvider {

    private static final Path PLUGINS = ObjectSyncTests.pluginsDir(1);
    private EmbeddedServer second;

    private static Map<String, String> replicaProperties() {
        Map<String, String> p = new HashMap<>(ObjectSyncTests.properties(PLUGINS));
        p.put("junction.object-sync.poll-interval", "100ms");
        return p;
    }

    @Override
    public Map<String, String> getProperties() {
        return replicaProperties();
    }

    @BeforeAll
    void startSecondReplica() {
        Map<String, Object> p = new HashMap<>(replicaProperties());
        p.put("micronaut.server.port", -1);
        second = ApplicationContext.run(EmbeddedServer.class, p, "test");
    }

    @AfterAll
    void stopSecondReplica() {
        second.close();
    }

    @Test
    void installationsDueAtOnceRunOnceEachAcrossTwoReplicas() {
        Api admin = tenantAdmin(newTenant("obj-cluster"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = install(admin, Map.of("interval", "off"));
            dataset(id, "{\"lists\": [{\"id\": " + i + ", \"name\": \"L\"}], \"sleep_ms\": 500}");
            assertEquals(200, admin.patch("/v1/admin/installations/" + id, Map.of("object_sync", Map.of("interval", "15m"))).status());
            ids.add(id);
        }
        ObjectSyncTests.sql("UPDATE object_sync SET next_run_at = now() WHERE installation_id = ANY (?::uuid[])",
                (Object) ids.toArray(new String[0]));

        Set<String> workers = new HashSet<>();
        for (String id : ids) {
            JsonNode runs = ObjectSyncTests.awaitRuns(admin, id);
            assertEquals(1, runs.size(), "one scheduled run, though both replicas saw it due: " + runs);
            assertEquals("scheduled", runs.get(0).get("trigger").asText());
            assertEquals("succeeded", ObjectSyncTests.awaitEnd(admin, id, runs.get(0).get("id").asText()).get("status").asText());
            assertEquals("1", state(id, "syncs"), "the connector synced once");
            assertNull(state(id, "overlap"));
            workers.add((String) query("SELECT claimed_by FROM object_sync_run WHERE installation_id = ?", UUID.fromString(id))
                    .get(0).get(0));
        }
        assertEquals(2, workers.size(), "both replicas took runs: " + workers);
        ObjectSyncTests.sleep(500);
        for (String id : ids) {
            assertEquals(1, admin.get(runsPath(id)).json().get("items").size(), "and none was queued again");
        }
    }

    @Test
    void runsRequestedOnBothReplicasNeverOverlap() {
        String tenant = newTenant("obj-cluster-manual");
        Api first = tenantAdmin(tenant);
        Api other = new Api(second.getURI()).as(Tokens.tenantAdmin(tenant));
        String id = install(first, Map.of("interval", "off"));
        dataset(id, "{\"lists\": [{\"id\": 1, \"name\": \"L\"}], \"sleep_ms\": 300}");
        Set<String> runs = new HashSet<>();
        int refused = 0;
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        for (int i = 0; System.nanoTime() < until; i++) {
            Api.Response r = (i % 2 == 0 ? first : other).post(runsPath(id).replace("/runs", "/run"), Map.of());
            if (r.status() == 202) {
                runs.add(r.json().get("id").asText());
            } else {
                assertEquals(409, r.status(), r.toString());
                refused++;
            }
            ObjectSyncTests.sleep(40);
        }
        for (String run : runs) {
            assertEquals("succeeded", ObjectSyncTests.awaitEnd(first, id, run).get("status").asText());
        }
        assertTrue(runs.size() >= 3 && refused > 0, runs.size() + " runs, " + refused + " refused");
        assertNull(state(id, "overlap"), "never two syncs of one installation at once");
        assertEquals(String.valueOf(runs.size()), state(id, "syncs"), "each run synced once");
    }
}
