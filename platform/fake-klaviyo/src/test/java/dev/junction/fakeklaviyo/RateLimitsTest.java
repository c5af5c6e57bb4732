package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The spec's x-klaviyo-ratelimit tiers, enforced per key and operation (G14), and the headers Klaviyo documents. */
class RateLimitsTest extends FakeKlaviyoTestBase {

    @Test
    void limitsAreParsedFromTheSpec() {
        KlaviyoSpec spec = new KlaviyoSpec(fake.specDir());
        assertEquals(new KlaviyoSpec.Limits(10, 150, 150), spec.operation("create_list").limits);
        assertEquals(new KlaviyoSpec.Limits(350, 3500, 0), spec.operation("create_event").limits);
        assertEquals(new KlaviyoSpec.Limits(10, 150, 0), spec.operation("bulk_import_profiles").limits);
        assertEquals(new KlaviyoSpec.Limits(1, 15, 0), spec.operation("get_accounts").limits);
    }

    @Test
    void publishedBurstGives429WithRetryAfterAndHeadersOtherwise() {
        fake.rateLimits(RateLimitMode.PUBLISHED);
        // get_accounts: burst 1/s, steady 15/m. Align to the start of a second so both calls share a window.
        long ms = System.currentTimeMillis() % 1000;
        if (ms > 700) {
            sleep(1000 - ms + 10);
        }
        Client.Response first = client.get("/api/accounts");
        assertEquals(200, first.status());
        assertEquals("15", first.header("RateLimit-Limit"));
        assertEquals("14", first.header("RateLimit-Remaining"));
        assertTrue(Integer.parseInt(first.header("RateLimit-Reset")) <= 60);
        Client.Response second = client.get("/api/accounts");
        assertEquals(429, second.status());
        assertEquals("1", second.header("Retry-After"));
        assertEquals("throttled", second.json().path("errors").path(0).path("code").asText());
        // Other operations and other keys have their own windows.
        assertEquals(200, client.get("/api/lists").status());
        fake.addApiKey("pk_other", fake.allScopes());
        assertEquals(200, new Client(fake.baseUrl(), "pk_other").get("/api/accounts").status());
        fake.assertNoViolations();
    }

    @Test
    void scaledModeMultipliesTheLimits() {
        KlaviyoSpec.Operation accounts = new KlaviyoSpec(fake.specDir()).operation("get_accounts");
        RateLimiter limiter = new RateLimiter(RateLimitMode.scaled(3));
        long t = 5_000_000L;
        int ok = 0;
        for (int i = 0; i < 4; i++) {
            ok += limiter.acquire("k", accounts, t).allowed() ? 1 : 0;
        }
        assertEquals(3, ok, "burst 1/s times 3");
        assertEquals(45, limiter.acquire("k", accounts, t + 1000).limit(), "steady 15/m times 3");
        fake.rateLimits(RateLimitMode.OFF);
        for (int i = 0; i < 20; i++) {
            assertEquals(200, client.get("/api/accounts").status());
        }
    }

    @Test
    void steadyAndDailyWindows() {
        KlaviyoSpec.Operation createList = new KlaviyoSpec(fake.specDir()).operation("create_list");
        RateLimiter limiter = new RateLimiter(RateLimitMode.PUBLISHED);
        long day = 1_000L * 86_400_000L;
        // 150 requests spread over 20 minutes: within every burst and steady window, but the daily 150 is used up.
        for (int i = 0; i < 150; i++) {
            assertTrue(limiter.acquire("k", createList, day + i * 8_000L).allowed(), "request " + i);
        }
        RateLimiter.Decision refused = limiter.acquire("k", createList, day + 150 * 8_000L);
        assertFalse(refused.allowed());
        assertTrue(refused.retryAfterSeconds() > 60, "waits for the next day: " + refused.retryAfterSeconds());
        assertTrue(limiter.acquire("k", createList, day + 86_400_000L).allowed());
        // Steady: 150 per minute at 10 per second fills the minute after 15 s.
        RateLimiter steady = new RateLimiter(RateLimitMode.PUBLISHED);
        long minute = day + 3 * 60_000L;
        KlaviyoSpec.Operation addMembers = new KlaviyoSpec(fake.specDir()).operation("add_profiles_to_list");
        for (int i = 0; i < 150; i++) {
            assertTrue(steady.acquire("k", addMembers, minute + (i / 10) * 1000L).allowed());
        }
        RateLimiter.Decision full = steady.acquire("k", addMembers, minute + 15_000L);
        assertFalse(full.allowed());
        assertEquals(45, full.retryAfterSeconds());
    }

    @Test
    void modesParse() {
        assertEquals(RateLimitMode.OFF, RateLimitMode.parse("off"));
        assertEquals(RateLimitMode.PUBLISHED, RateLimitMode.parse("PUBLISHED"));
        assertEquals(RateLimitMode.scaled(2.5), RateLimitMode.parse("SCALED(2.5)"));
        assertEquals(RateLimitMode.scaled(0.5), RateLimitMode.parse("scaled:0.5"));
        assertTrue(Path.of(fake.specDir().toString(), "lists.json").toFile().isFile());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
