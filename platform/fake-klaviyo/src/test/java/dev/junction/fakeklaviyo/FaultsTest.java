package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Injected 429 storms, 5xx outages and latency, per operation or for all. */
class FaultsTest extends FakeKlaviyoTestBase {

    @Test
    void a429StormOnOneOperation() {
        fake.inject(Fault.rateLimited(Duration.ofMillis(1500)).times(3).on("create_event"));
        for (int i = 0; i < 3; i++) {
            Client.Response r = client.post("/api/events", EventsTest.event("X", "a@example.com", "u", null));
            assertEquals(429, r.status());
            assertEquals("2", r.header("Retry-After"));
            assertEquals(200, client.get("/api/lists").status(), "other operations are not affected");
        }
        assertEquals(202, client.post("/api/events", EventsTest.event("X", "a@example.com", "u", null)).status());
        assertEquals(1, fake.state().events("X").size());
        fake.assertNoViolations();
    }

    @Test
    void anOutageThenRecovery() {
        fake.inject(Fault.status(503).times(2));
        assertEquals(503, client.get("/api/accounts").status());
        Client.Response second = client.get("/api/lists");
        assertEquals(503, second.status());
        assertEquals("error", second.json().path("errors").path(0).path("code").asText());
        assertEquals(200, client.get("/api/accounts").status());
    }

    @Test
    void latencyAndForeverUntilCleared() {
        fake.inject(Fault.delay(Duration.ofMillis(300)).on("get_lists"));
        long start = System.nanoTime();
        assertEquals(200, client.get("/api/lists").status());
        assertTrue(System.nanoTime() - start >= 290_000_000L);
        fake.inject(Fault.status(500).forever());
        for (int i = 0; i < 5; i++) {
            assertEquals(500, client.get("/api/accounts").status());
        }
        fake.clearFaults();
        assertEquals(200, client.get("/api/accounts").status());
        assertEquals(7, fake.requestCounts().get("get_accounts") + fake.requestCounts().get("get_lists"));
    }
}
