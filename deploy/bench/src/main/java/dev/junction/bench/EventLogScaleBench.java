package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The event log at scale: {@code event-query} loads N events (default 10,000,000) of one tenant
 * straight into the event log (SQL, over the last 36 hours, two installations, 100,000 users, four
 * event names) and measures the API's filtered, paginated queries; {@code live-tail} measures
 * ingest-to-client latency with many SSE clients.
 */
final class EventLogScaleBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 500_000;

    private final Map<String, String> options;
    private final Path repo = Path.of("").toAbsolutePath();

    EventLogScaleBench(Map<String, String> options) {
        this.options = options;
    }

    /** A server on a scratch database, a tenant "bench" and a SendGrid installation. */
    private record Setup(ServerProcess server, String viewer, String webhook, UUID tenant, UUID installation) { }

    private Setup setup(ServerProcess server) throws Exception {
        String admin = server.token("--role", "platform-admin");
        AdminApi.call("POST", server.baseUrl() + "/v1/admin/tenants", admin, null, "{\"slug\":\"bench\",\"name\":\"Bench\"}");
        JsonNode installation = JSON.readTree(AdminApi.call("POST", server.baseUrl() + "/v1/admin/integration-catalog/sendgrid/install?check=false",
                admin, "bench", "{\"name\":\"SendGrid\",\"config\":{\"api_key\":\"SG.bench\"}}"));
        UUID tenant = UUID.fromString(JSON.readTree(AdminApi.get(server.baseUrl() + "/v1/admin/tenants/bench", admin, null)).get("id").asText());
        return new Setup(server, server.token("--role", "viewer", "--tenant", "bench"), installation.get("webhook_url").asText(), tenant,
                UUID.fromString(installation.get("id").asText()));
    }

    void liveTail() throws Exception {
        int clients = Integer.parseInt(options.getOrDefault("clients", "100"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        String client = options.getOrDefault("client", "socket");
        if (!List.of("socket", "jdk").contains(client)) {
            throw new IllegalArgumentException("--client is socket or jdk, not " + client);
        }
        String database = "junction_bench_" + System.currentTimeMillis();
        Database.create(database);
        System.out.printf("Junction live-tail benchmark, %s; %d cores, Java %s, PostgreSQL %s; server -Xmx1g%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Database.version());
        try (ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx1g"), Map.of())) {
            Setup s = setup(server);
            new LiveTailBench(clients, seconds, client.equals("jdk")).measure(server.baseUrl(), s.webhook(), s.viewer());
        } finally {
            Database.drop(database);
        }
    }

    void eventQuery() throws Exception {
        long events = Long.parseLong(options.getOrDefault("events", "10000000"));
        String database = "junction_bench_" + System.currentTimeMillis();
        Database.create(database);
        System.out.printf("Junction event-log query benchmark, %s; %d cores, Java %s, PostgreSQL %s; server -Xmx1g%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Database.version());
        try (ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx1g"), Map.of())) {
            Setup s = setup(server);
            UUID other = UUID.randomUUID();
            long t0 = System.nanoTime();
            try (Connection c = Database.connect(database)) {
                for (long from = 0; from < events; from += CHUNK) {
                    load(c, s.tenant(), s.installation(), other, from, Math.min(events, from + CHUNK) - 1, events);
                }
                try (Statement st = c.createStatement()) {
                    st.execute("ANALYZE event_log");
                }
            }
            System.out.printf("loaded %,d events in %.0f s (SQL, not through the API)%n", events, (System.nanoTime() - t0) / 1e9);
            EventQueryBench.measure(server.baseUrl(), s.viewer(), database, s.tenant(), s.installation(), "after ANALYZE");
        } finally {
            Database.drop(database);
        }
    }

    /** Events {@code from..to} of {@code total}, evenly over the last 36 hours, newest first. */
    private static void load(Connection c, UUID tenant, UUID installation, UUID other, long from, long to, long total) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_log (tenant_id, recorded_at, batch_id, installation_id, direction, kind, name, status,
                                       occurred_at, user_id, dedupe_key, payload)
                SELECT ?, t.at, ?, CASE WHEN g % 4 = 0 THEN ?::uuid ELSE ?::uuid END,
                       CASE WHEN g % 10 = 0 THEN 'outbound' ELSE 'inbound' END, 'webhook_event',
                       n.name, 'accepted',
                       t.at, 'user' || (g % 100000) || '@example.com', 'bulk-' || g,
                       jsonb_build_object('name', n.name,
                                          'user_id', 'user' || (g % 100000) || '@example.com', 'library', 'sendgrid',
                                          'properties', jsonb_build_object('sg_event_id', 'bulk-' || g, 'email', 'user' || (g % 100000) || '@example.com'))
                FROM generate_series(?::bigint, ?::bigint) AS g,
                     LATERAL (SELECT now() - make_interval(secs => (g::double precision / ?) * 36 * 3600)) AS t(at),
                     LATERAL (SELECT CASE WHEN g % 100000 = 5 THEN '[Sendgrid] spamreport'
                                          ELSE '[Sendgrid] ' || (ARRAY['delivered','open','click','processed'])[1 + (g % 4)::int] END) AS n(name)""")) {
            ps.setObject(1, tenant);
            ps.setObject(2, UUID.randomUUID());
            ps.setObject(3, other);
            ps.setObject(4, installation);
            ps.setLong(5, from);
            ps.setLong(6, to);
            ps.setDouble(7, total);
            ps.executeUpdate();
        }
    }
}
