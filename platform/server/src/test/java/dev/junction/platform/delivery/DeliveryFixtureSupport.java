package dev.junction.platform.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.testkit.FakeHttpServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers for tests of ingestion and delivery with the {@code fixture-destination} connector. */
public final class DeliveryFixtureSupport {

    private DeliveryFixtureSupport() {
    }

    /** A tenant with a source and (optionally) a fixture destination installation. */
    public record Setup(String tenant, String writeKey, String sourceId, String installation, String bucket) {
        public String route() {
            return "/deliver/" + bucket;
        }
    }

    /** Creates a source; returns its write key and id. */
    public static String[] source(Api admin) {
        Api.Response r = admin.post("/v1/admin/sources", Map.of("name", "Web app"));
        assertEquals(201, r.status(), r.toString());
        return new String[] {r.json().get("write_key").asText(), r.json().get("id").asText()};
    }

    public static String installDestination(Api admin, String bucket) {
        Api.Response r = admin.post("/v1/admin/integration-catalog/fixture-destination/install",
                Map.of("name", "Fixture", "config", Map.of("bucket", bucket), "delivery_mode", "server_side"));
        assertEquals(201, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    /** The client as an SDK sends: the write key as Basic user name, empty password. */
    public static Api sdk(Api anonymous, String writeKey) {
        return anonymous.with("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)));
    }

    /** The events the fixture vendor received on a route, in arrival order (repeats included). */
    public static List<JsonNode> received(FakeHttpServer vendor, String route) {
        List<JsonNode> out = new ArrayList<>();
        for (FakeHttpServer.Request r : vendor.requests("POST", route)) {
            try {
                Api.JSON.readTree(r.body()).get("events").forEach(out::add);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** Waits until the tenant's deliveries (newest 500) satisfy the condition; returns them. */
    public static JsonNode awaitDeliveries(Api admin, String query, Predicate<JsonNode> done, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Api.Response r = admin.get("/v1/admin/deliveries?limit=500" + (query.isEmpty() ? "" : "&" + query));
            assertEquals(200, r.status(), r.toString());
            last = r.json().get("items");
            if (done.test(last)) {
                return last;
            }
            sleep(50);
        }
        throw new AssertionError("deliveries did not reach the expected state: " + last);
    }

    public static Predicate<JsonNode> all(int count, String status) {
        return items -> {
            if (items.size() != count) {
                return false;
            }
            for (JsonNode i : items) {
                if (!status.equals(i.get("status").asText())) {
                    return false;
                }
            }
            return true;
        };
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
