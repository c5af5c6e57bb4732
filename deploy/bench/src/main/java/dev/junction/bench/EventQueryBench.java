package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Event log queries through the API: latency per filter shape, and the plan of one. */
final class EventQueryBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventQueryBench() {
    }

    private static String oldestDedupeKey(String database) throws Exception {
        try (Connection c = Database.connect(database); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT dedupe_key FROM event_log WHERE dedupe_key IS NOT NULL ORDER BY recorded_at, id LIMIT 1")) {
            return rs.next() ? java.net.URLEncoder.encode(rs.getString(1), java.nio.charset.StandardCharsets.UTF_8) : "none";
        }
    }

    /** Event log queries on everything stored above: API latency per filter shape, and the query plan. */
    static void measure(String base, String token, String database, UUID tenant, UUID installation, String when)
            throws Exception {
        long stored;
        try (Connection c = Database.connect(database); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM event_log")) {
            rs.next();
            stored = rs.getLong(1);
        }
        System.out.println();
        System.out.printf("event log queries on %,d stored events, %s (HTTP, 30 requests each, limit 50):%n", stored, when);
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put("newest page", "");
        shapes.put("installation + direction", "&installation_id=" + installation + "&direction=inbound");
        shapes.put("name", "&name=%5BSendgrid%5D%20click");
        shapes.put("name, rare (1 in 100,000)", "&name=%5BSendgrid%5D%20spamreport");
        shapes.put("q = a user's e-mail", "&q=user77@example.com");
        shapes.put("q = a dedupe key (oldest)", "&q=" + oldestDedupeKey(database));
        shapes.put("q = part of a name", "&q=click");
        shapes.put("time window", "&since=" + Instant.now().minusSeconds(60) + "&until=" + Instant.now());
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                AdminApi.get(base + "/v1/admin/events?limit=50" + shape.getValue(), token, null);
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            Stats st = new Stats(ms);
            System.out.printf("  %-28s p50 %6.1f ms  p95 %6.1f ms%n", shape.getKey(), st.percentile(50), st.percentile(95));
        }
        List<Double> deep = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 30; page++) {
            long t0 = System.nanoTime();
            JsonNode r = JSON.readTree(AdminApi.get(base + "/v1/admin/events?limit=50" + (cursor == null ? "" : "&cursor=" + cursor), token, null));
            deep.add((System.nanoTime() - t0) / 1e6);
            cursor = r.path("next_cursor").asText(null);
        }
        Stats st = new Stats(deep);
        System.out.printf("  %-28s p50 %6.1f ms  p95 %6.1f ms%n", "30 pages deep by cursor", st.percentile(50), st.percentile(95));
        try (Connection c = Database.connect(database)) {
          c.setAutoCommit(false);
          try (Statement settings = c.createStatement()) {
              // as EventLogService runs it
              settings.execute("SET LOCAL enable_sort = off");
              settings.execute("SET LOCAL enable_bitmapscan = off");
          }
          try (var ps = c.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF) "
                + "SELECT id, recorded_at, name FROM event_log WHERE tenant_id = ? AND installation_id = ? AND direction = 'inbound' "
                + "ORDER BY recorded_at DESC, id DESC LIMIT 51")) {
            ps.setObject(1, tenant);
            ps.setObject(2, installation);
            System.out.println("  plan of the installation + direction page (partitions without rows left out):");
            try (var rs = ps.executeQuery()) {
                List<String> lines = new ArrayList<>();
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
                for (int i = 0; i < lines.size(); i++) {
                    boolean emptyScan = lines.get(i).contains("rows=0 loops=1") && lines.get(i).contains("Scan");
                    if (emptyScan) {
                        while (i + 1 < lines.size() && lines.get(i + 1).startsWith(" ".repeat(lines.get(i).indexOf("->") + 6))) {
                            i++;
                        }
                        continue;
                    }
                    System.out.println("    " + lines.get(i));
                }
            }
          }
          c.rollback();
        }
    }
}
