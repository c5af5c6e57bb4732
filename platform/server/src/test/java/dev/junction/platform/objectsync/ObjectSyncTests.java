package dev.junction.platform.objectsync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.plugin.TestPlugins;
import dev.junction.platform.plugin.fixtures.ObjectsFixture;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the object sync tests share: the fixture plugin's versions, its dataset, runs awaited, the database read directly. */
final class ObjectSyncTests {

    private ObjectSyncTests() {
    }

    /** A plugins directory with the objects fixture of {@code version} (1 or 2) and the built SendGrid and Klaviyo plugins. */
    static Path pluginsDir(int version) {
        try {
            Path dir = Files.createTempDirectory("junction-objects-plugins-v" + version + "-");
            TestPlugins.zip(dir, ObjectsFixture.SLUG, "plugin.id=" + ObjectsFixture.SLUG + "\nplugin.version=" + version
                            + ".0.0\nplugin.requires=>=1.0.0 & <2.0.0\nplugin.provider=tests\n",
                    List.of(ObjectsFixture.Connector_.class, version == 1 ? ObjectsFixture.SyncV1.class : ObjectsFixture.SyncV2.class,
                            ObjectsFixture.Events.class));
            TestPlugins.copyBuilt(dir, "sendgrid");
            TestPlugins.copyBuilt(dir, "klaviyo");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Properties of a server over {@code pluginsDir} that polls and retries quickly, with a small
     * connection pool (some tests run two servers, and the test database server is shared) and
     * the production default interval.
     */
    static Map<String, String> properties(Path pluginsDir) {
        return Map.of("junction.plugins-dir", pluginsDir.toString(), "junction.object-sync.poll-interval", "200ms",
                "junction.object-sync.retry-base", "200ms", "junction.object-sync.batch-rows", "1000",
                "datasources.default.maximum-pool-size", "8", "datasources.default.minimum-idle", "1",
                "junction.object-sync.default-interval", "3h");
    }

    static String install(Api admin, Map<String, Object> objectSync) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "Objects", "config", Map.of()));
        if (objectSync != null) {
            body.put("object_sync", objectSync);
        }
        Api.Response r = admin.post("/v1/admin/integration-catalog/" + ObjectsFixture.SLUG + "/install", body);
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    /** Sets what the fixture emits for the installation (its state entry {@code dataset}). */
    static void dataset(String installation, String json) {
        sql("INSERT INTO installation_state (tenant_id, installation_id, key, value, updated_at) "
                + "SELECT tenant_id, id, 'dataset', ?, now() FROM installation WHERE id = ? "
                + "ON CONFLICT (tenant_id, installation_id, key) DO UPDATE SET value = EXCLUDED.value", json, UUID.fromString(installation));
    }

    static String state(String installation, String key) {
        List<List<Object>> rows = query("SELECT value FROM installation_state WHERE installation_id = ? AND key = ?",
                UUID.fromString(installation), key);
        return rows.isEmpty() ? null : (String) rows.get(0).get(0);
    }

    static String schemaOf(Api admin, String installation) {
        return admin.get("/v1/admin/installations/" + installation).json().at("/object_sync/schema").asText();
    }

    /** Requests a run and waits for it to end; returns the run. */
    static JsonNode runToEnd(Api admin, String installation) {
        Api.Response started = admin.post(runsPath(installation).replace("/runs", "/run"), Map.of());
        assertEquals(202, started.status(), started.toString());
        return awaitEnd(admin, installation, started.json().get("id").asText());
    }

    static String runsPath(String installation) {
        return "/v1/admin/installations/" + installation + "/object-syncs/runs";
    }

    static JsonNode awaitEnd(Api admin, String installation, String run) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = admin.get(runsPath(installation) + "/" + run).json();
            String status = r.get("status").asText();
            if (status.equals("succeeded") || status.equals("failed")) {
                return r;
            }
            sleep(100);
        }
        throw new AssertionError("run " + run + " did not end");
    }

    /** The installation's runs, once there is one (a scheduled run appears without a request). */
    static JsonNode awaitRuns(Api admin, String installation) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode runs;
        do {
            sleep(100);
            runs = admin.get(runsPath(installation)).json().get("items");
        } while (runs.isEmpty() && System.nanoTime() < deadline);
        return runs;
    }

    /** Every row of a collection through the API, following cursors. */
    static List<JsonNode> rows(Api api, String installation, String collection, boolean includeDeleted) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response r = api.get("/v1/admin/installations/" + installation + "/collections/" + collection + "?limit=500"
                    + (includeDeleted ? "&include_deleted=true" : "") + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, r.status(), r.toString());
            r.json().get("items").forEach(out::add);
            cursor = r.json().has("next_cursor") ? r.json().get("next_cursor").asText() : null;
        } while (cursor != null);
        return out;
    }

    static boolean schemaExists(String schema) {
        return !query("SELECT 1 FROM pg_namespace WHERE nspname = ?", schema).isEmpty();
    }

    static List<String> tables(String schema) {
        return query("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name", schema)
                .stream().map(r -> (String) r.get(0)).toList();
    }

    static List<List<Object>> query(String sql, Object... params) {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(String sql, Object... params) {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
