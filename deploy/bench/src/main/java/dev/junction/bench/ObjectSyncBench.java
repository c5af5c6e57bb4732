package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.bench.plugin.GeneratedContacts;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Object sync at size, from one of two sources.
 *
 * <p>{@code --source sendgrid}: the real SendGrid plugin against the fake SendGrid (own JVM) seeded
 * with N contacts in ten lists; the plugin runs SendGrid's export job and streams the
 * newline-delimited, gzipped export files into the {@code contacts} and {@code list_memberships}
 * tables. Two runs: the first fill and a run over unchanged data.
 *
 * <p>{@code --source generated} (the default): a plugin that makes up N contacts (ten typed columns plus the object as
 * {@code raw}) emits them through the platform's record sink into the installation's table, with
 * the server at a small heap. Three runs: the first fill, a run after a change of a given
 * percentage (as many leave as join, every hundredth renamed), and a run over unchanged data.
 * Reports rows/s (rows the run wrote over its wall time), the per-pass time the server measured,
 * the server's peak heap, the table's size, and read API latency on the full table.
 */
final class ObjectSyncBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "bench_objects";

    private final int rows;
    private final double changePercent;
    private final String serverHeap;
    private final String batchRows;
    private final String source;

    ObjectSyncBench(Map<String, String> options) {
        this.source = options.getOrDefault("source", "generated");
        if (!List.of("generated", "sendgrid").contains(source)) {
            throw new IllegalArgumentException("--source is generated or sendgrid, not " + source);
        }
        this.rows = Integer.parseInt(options.getOrDefault("rows", "1000000"));
        this.changePercent = Double.parseDouble(options.getOrDefault("change-percent", "1"));
        this.serverHeap = options.getOrDefault("server-heap", "256m");
        this.batchRows = options.getOrDefault("batch-rows", "2000");
    }

    void run() throws Exception {
        boolean sendGrid = source.equals("sendgrid");
        Path repo = Path.of("").toAbsolutePath();
        String database = "junction_bench_" + System.currentTimeMillis();
        Database.create(database);
        System.out.printf("Junction object sync benchmark%s, %s%n", sendGrid ? " (SendGrid export)" : "", Instant.now());
        System.out.printf("machine: %d cores, Java %s, PostgreSQL %s; server -Xmx%s; batches of %s rows%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Database.version(), serverHeap, batchRows);
        try (FakeSendGridProcess fake = sendGrid ? new FakeSendGridProcess("3g", 0, "--seed-contacts", String.valueOf(rows),
                "--seed-lists", "10", "--export-delay-ms", "0") : null;
             ServerProcess server = new ServerProcess(repo, database, List.of("-Xmx" + serverHeap), serverEnv(fake))) {
            String admin = server.token(repo, "--role", "platform-admin");
            String base = server.baseUrl();
            AdminApi.call("POST", base + "/v1/admin/tenants", admin, null, "{\"slug\":\"bench\",\"name\":\"Bench\"}");
            String objectSync = "\"object_sync\":{\"schema\":\"" + SCHEMA + "\",\"interval\":\"off\"}";
            String installation = JSON.readTree(sendGrid
                    ? AdminApi.call("POST", base + "/v1/admin/integration-catalog/sendgrid/install", admin, "bench",
                            "{\"name\":\"SendGrid\",\"config\":{\"api_key\":\"" + FakeSendGridProcess.API_KEY + "\"}," + objectSync + "}")
                    : AdminApi.call("POST", base + "/v1/admin/integration-catalog/" + GeneratedContacts.SLUG + "/install", admin, "bench",
                            "{\"name\":\"Generated\",\"config\":{\"rows\":" + rows + ",\"generation\":1,\"change_percent\":"
                                    + changePercent + "}," + objectSync + "}"))
                    .get("id").asText();
            String installationUrl = base + "/v1/admin/installations/" + installation;

            HeapWatch heap = new HeapWatch(base);
            heap.start();
            System.out.println();
            if (sendGrid) {
                report("first fill from the export", installationUrl, admin, heap);
                report("re-sync of unchanged data", installationUrl, admin, heap);
            } else {
                report("first fill", installationUrl, admin, heap);
                AdminApi.call("PATCH", installationUrl + "?check=false", admin, "bench", "{\"config\":{\"generation\":2}}");
                report(String.format("after a %.1f%% change", changePercent), installationUrl, admin, heap);
                report("unchanged data", installationUrl, admin, heap);
            }
            heap.stop = true;

            try (Connection c = Database.connect(database); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE deleted_at IS NULL), "
                         + "pg_size_pretty(pg_total_relation_size('" + SCHEMA + ".contacts')) FROM " + SCHEMA + ".contacts")) {
                rs.next();
                System.out.printf("%n%s.contacts: %,d current rows (%s with its index)%n", SCHEMA, rs.getLong(1), rs.getString(2));
            }
            if (sendGrid) {
                try (Connection c = Database.connect(database); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SCHEMA + ".list_memberships WHERE deleted_at IS NULL")) {
                    rs.next();
                    System.out.printf("%s.list_memberships: %,d current rows%n", SCHEMA, rs.getLong(1));
                }
            }
            reads(installationUrl, admin);
        } finally {
            Database.drop(database);
        }
    }

    /** The server points at the fake SendGrid, or else loads only the generator plugin. */
    private Map<String, String> serverEnv(FakeSendGridProcess fake) throws IOException, URISyntaxException {
        if (fake != null) {
            return Map.of("JUNCTION_SENDGRID_API_URL", fake.baseUrl(), "JUNCTION_OBJECT_SYNC_BATCH_ROWS", batchRows);
        }
        Path plugins = Files.createTempDirectory("junction-bench-plugins-");
        pluginZip(plugins.resolve(GeneratedContacts.SLUG + ".zip"));
        return Map.of("JUNCTION_PLUGINS_DIR", plugins.toString(), "JUNCTION_OBJECT_SYNC_BATCH_ROWS", batchRows);
    }

    private void report(String what, String installationUrl, String admin, HeapWatch heap) throws Exception {
        heap.peak.set(0);
        long t0 = System.nanoTime();
        String runId = JSON.readTree(AdminApi.call("POST", installationUrl + "/object-syncs/run", admin, "bench", "{}")).get("id").asText();
        JsonNode run;
        do {
            Thread.sleep(250);
            run = JSON.readTree(AdminApi.get(installationUrl + "/object-syncs/runs/" + runId, admin, "bench"));
        } while (!List.of("succeeded", "failed").contains(run.get("status").asText()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode c = run.at("/collections/contacts");
        double passSeconds = c.get("millis").asLong() / 1000.0;
        double storeSeconds = c.get("store_millis").asLong() / 1000.0;
        long written = c.get("upserted").asLong();
        System.out.printf("%s: %s in %.1f s; %,d rows written (%,d new), %,d marked deleted; server heap peak %.0f MB%n"
                        + "  %,.0f rows/s over the run; pass %.1f s (%,.0f rows/s), of which %.1f s writing to PostgreSQL%n",
                what, run.get("status").asText(), seconds, written, c.get("inserted").asLong(), c.get("deleted").asLong(),
                heap.peak.get() / 1e6, written / seconds, passSeconds, written / passSeconds, storeSeconds);
        if (run.has("error")) {
            System.out.println("  error: " + run.get("error").asText());
        }
    }

    /** Read API latency on the full table: the first page, and pages further on by cursor. */
    private static void reads(String installationUrl, String admin) throws Exception {
        List<Double> millis = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            JsonNode page = JSON.readTree(AdminApi.get(installationUrl + "/collections/contacts?limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor), admin, "bench"));
            millis.add((System.nanoTime() - t0) / 1e6);
            cursor = page.get("next_cursor").asText();
        }
        long t0 = System.nanoTime();
        AdminApi.get(installationUrl + "/collections", admin, "bench");
        double list = (System.nanoTime() - t0) / 1e6;
        millis.sort(Double::compare);
        System.out.printf("read API: 20 pages of 500 rows, p50 %.1f ms, max %.1f ms; collection list %.1f ms%n",
                millis.get(10), millis.get(19), list);
    }

    /** The generator as a PF4J plugin zip: plugin.properties, its classes, the extension index. */
    private static void pluginZip(Path zip) throws IOException, URISyntaxException {
        Path classes = Path.of(ObjectSyncBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String dir = GeneratedContacts.class.getPackageName().replace('.', '/');
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file);
             Stream<Path> files = Files.list(classes.resolve(dir))) {
            put(out, "plugin.properties", ("plugin.id=" + GeneratedContacts.SLUG + "\nplugin.version=1.0.0\n"
                    + "plugin.requires=>=1.0.0 & <2.0.0\nplugin.provider=bench\n").getBytes(StandardCharsets.UTF_8));
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("GeneratedContacts")).toList()) {
                put(out, "classes/" + dir + "/" + f.getFileName(), Files.readAllBytes(f));
            }
            put(out, "classes/META-INF/extensions.idx", (GeneratedContacts.Connector_.class.getName() + "\n"
                    + GeneratedContacts.Sync.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
