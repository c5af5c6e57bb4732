package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A million contacts: seeding, a streamed JSON export split into several files, and a streamed download.
 * Needs about 1 GB of heap and about 10 s; skip it with {@code -Dfakesendgrid.large=false}, change the count with
 * {@code -Dfakesendgrid.large.count=N}.
 */
class MillionContactsTest {
    static final int N = Integer.getInteger("fakesendgrid.large.count", 1_000_000);

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    @DisplayName("a million contacts seed and export within bounds (export format: G11)")
    void exportAMillionContacts() throws Exception {
        Assumptions.assumeFalse("false".equals(System.getProperty("fakesendgrid.large")), "skipped: -Dfakesendgrid.large=false");
        try (FakeSendGrid fake = FakeSendGrid.builder().exportDelay(Duration.ZERO).start()) {
            String listId = fake.createList("everyone").id();
            long heap0 = usedHeap();
            long t0 = System.nanoTime();
            fake.seedContacts(() -> new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < N;
                }

                @Override
                public ContactSeed next() {
                    int n = i++;
                    return ContactSeed.of("user" + n + "@example.com").with("first_name", "First" + n).with("last_name", "Last")
                            .inLists(listId);
                }
            });
            long seedMs = (System.nanoTime() - t0) / 1_000_000;
            long heap1 = usedHeap();
            Client client = new Client(fake);
            long t1 = System.nanoTime();
            String id = client.post("/v3/marketing/contacts/exports",
                    "{\"file_type\":\"json\",\"list_ids\":[\"" + listId + "\"],\"max_file_size\":50}").json().get("id").asText();
            JsonNode status;
            long peak = 0;
            do {
                Thread.sleep(50);
                Runtime rt = Runtime.getRuntime();
                peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
                status = client.get("/v3/marketing/contacts/exports/" + id).json();
            } while ("pending".equals(status.get("status").asText()));
            long exportMs = (System.nanoTime() - t1) / 1_000_000;
            assertEquals("ready", status.get("status").asText(), status.toString());
            assertEquals(N, status.get("contact_count").asInt());
            assertTrue(status.get("urls").size() > 1, "split into several files");

            long t2 = System.nanoTime();
            HttpClient http = HttpClient.newHttpClient();
            long lines = 0;
            long bytes = 0;
            for (JsonNode url : status.get("urls")) {
                HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url.asText())).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(r.body()), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines++;
                        bytes += line.length() + 1;
                    }
                }
            }
            long downloadMs = (System.nanoTime() - t2) / 1_000_000;
            assertEquals(N, lines);
            System.out.printf("%,d contacts: seed %d ms (+%d MB heap), export %d ms (%d files, %,d bytes NDJSON, peak heap during"
                    + " export %d MB), streamed download+gunzip %d ms%n", N, seedMs, (heap1 - heap0) >> 20, exportMs,
                    status.get("urls").size(), bytes, peak >> 20, downloadMs);
        }
    }
}
