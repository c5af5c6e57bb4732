package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FaultsTest extends FakeSendGridTestBase {
    @Override
    FakeSendGridBuilder configure(FakeSendGridBuilder builder) {
        return builder.importDelay(Duration.ofMillis(10));
    }

    @Test
    @DisplayName("an injected rate limit answers 429 with a reset in the future (headers: G13)")
    void rateLimitedAnswers429WithAResetInTheFuture() {
        fake.inject(Fault.rateLimited(Duration.ofSeconds(5)).times(2).on("PUT", "/v3/marketing/contacts"));
        assertEquals(200, client.get("/v3/marketing/lists").status(), "other requests are not affected");
        long before = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 2; i++) {
            Client.Response r = client.put("/v3/marketing/contacts", Client.contactsBody(1, null));
            assertEquals(429, r.status());
            assertEquals("0", r.header("X-RateLimit-Remaining"));
            assertTrue(Integer.parseInt(r.header("X-RateLimit-Limit")) > 0);
            long reset = Long.parseLong(r.header("X-RateLimit-Reset"));
            assertTrue(reset >= before + 4 && reset <= before + 7, "reset " + reset + " vs now " + before);
            assertEquals("too many requests", r.json().at("/errors/0/message").asText());
        }
        assertEquals(202, client.put("/v3/marketing/contacts", Client.contactsBody(1, null)).status());
    }

    @Test
    void serverErrorsAndDelays() {
        fake.inject(Fault.status(503));
        fake.inject(Fault.status(500));
        assertEquals(503, client.get("/v3/marketing/lists").status());
        Client.Response r500 = client.get("/v3/marketing/lists");
        assertEquals(500, r500.status());
        assertTrue(r500.json().has("errors"));
        assertEquals(200, client.get("/v3/marketing/lists").status());

        fake.inject(Fault.delay(Duration.ofMillis(400)));
        long t0 = System.nanoTime();
        assertEquals(200, client.get("/v3/marketing/lists").status());
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 400);
    }

    @Test
    void hangUntilTheClientTimesOut() {
        fake.inject(Fault.hang().on("GET", "/v3/marketing/lists"));
        Exception e = assertThrows(Exception.class,
                () -> client.send("GET", "/v3/marketing/lists", null, Duration.ofMillis(300)));
        Throwable cause = e instanceof java.io.UncheckedIOException ? e.getCause() : e;
        assertTrue(cause instanceof HttpTimeoutException, String.valueOf(cause));
        fake.clearFaults();
        assertEquals(200, client.get("/v3/marketing/lists").status());
    }

    @Test
    @DisplayName("the steady rate limit counts per key and operation (windows: G13)")
    void steadyRateLimitPerKeyAndOperation() {
        fake.rateLimitPerSecond(3);
        int ok = 0;
        Client.Response limited = null;
        // the burst must fit in one one-second window; on a loaded machine it may not, so it is tried again
        for (int attempt = 0; attempt < 5; attempt++) {
            long ms = System.currentTimeMillis() % 1000;
            Client.sleep(1010 - ms);  // start of the next second
            long second = System.currentTimeMillis() / 1000;
            ok = 0;
            limited = null;
            for (int i = 0; i < 5; i++) {
                Client.Response r = client.get("/v3/marketing/lists");
                if (r.status() == 200) {
                    ok++;
                    assertTrue(r.header("X-RateLimit-Limit").equals("3"));
                } else {
                    limited = r;
                }
            }
            if (System.currentTimeMillis() / 1000 == second) {
                break;
            }
        }
        assertEquals(3, ok);
        assertEquals(429, limited.status());
        assertEquals("0", limited.header("X-RateLimit-Remaining"));
        assertTrue(Long.parseLong(limited.header("X-RateLimit-Reset")) * 1000 > System.currentTimeMillis() - 1000);
        assertEquals(200, client.get("/v3/scopes").status(), "another operation has its own budget");
        fake.rateLimitPerSecond(0);
        assertEquals(200, client.get("/v3/marketing/lists").status());
    }

    @Test
    @DisplayName("import jobs can be made to end errored or failed (G4)")
    void importJobsCanBeMadeToFail() {
        fake.failNextImport(FakeSendGrid.ImportFailure.FAILED);
        fake.failNextImport(FakeSendGrid.ImportFailure.ERRORED);
        String failed = client.put("/v3/marketing/contacts", Client.contactsBody(3, null)).json().get("job_id").asText();
        String errored = client.put("/v3/marketing/contacts", Client.contactsBody(3, null)).json().get("job_id").asText();
        JsonNode f = client.awaitImport(failed);
        assertEquals("failed", f.get("status").asText());
        assertEquals(3, f.at("/results/errored_count").asInt());
        JsonNode e = client.awaitImport(errored);
        assertEquals("errored", e.get("status").asText());
        assertEquals(1, e.at("/results/errored_count").asInt());
        assertEquals(2, fake.contactCount());
        assertEquals(200, client.get(e.at("/results/errors_url").asText()).status());
    }
}
