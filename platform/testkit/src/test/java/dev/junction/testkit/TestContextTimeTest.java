package dev.junction.testkit;

import dev.junction.runtime.CallDeadline;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.SpiVersion;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestContextTimeTest {

    /** The one place these tests build a descriptor. */
    static ConnectorDescriptor descriptor(String host) {
        return ConnectorDescriptor.builder("example", SpiVersion.CURRENT).name("Example").category("Test")
                .description("A connector for the test kit's own tests")
                .allowedHosts(host).requestsPerSecond(1000).build();
    }

    @Test
    void virtualTimeWaitsOutRateLimitsWithoutSleeping() throws Exception {
        try (FakeHttpServer vendor = FakeHttpServer.start()) {
            vendor.on("GET", "/v1/me").respond(429, "", "Retry-After", "30").respond(200, "{\"ok\":true}");
            TestContext ctx = TestContext.builder(descriptor("127.0.0.1")).virtualTime().build();
            Instant before = ctx.clock().instant();
            long realStart = System.nanoTime();

            HttpResult r = ctx.http().send(HttpCall.get(URI.create(vendor.baseUrl() + "/v1/me")).build());

            assertEquals(200, r.status());
            assertTrue(Duration.ofNanos(System.nanoTime() - realStart).compareTo(Duration.ofSeconds(10)) < 0,
                    "the 30 s Retry-After was not really slept");
            assertEquals(Duration.ofSeconds(30), ((MutableClock) ctx.clock()).slept());
            assertTrue(Duration.between(before, ctx.clock().instant()).compareTo(Duration.ofSeconds(30)) >= 0);
        }
    }

    @Test
    void aPluginsOwnPollingAdvancesTheClockThroughTheSleeper() throws Exception {
        TestContext ctx = TestContext.builder(descriptor("example.com")).virtualTime().build();
        for (int i = 0; i < 120; i++) {
            ctx.sleeper().sleep(Duration.ofSeconds(1));  // what a job poll loop given ctx.sleeper() does
        }
        assertEquals(Duration.ofMinutes(2), ((MutableClock) ctx.clock()).slept());
    }

    @Test
    void withinCallLimitPassesResultsAndExceptionsAndSetsTheDeadline() throws Exception {
        TestContext ctx = TestContext.builder(descriptor("example.com")).callLimit(SpiCall.DELIVER).build();
        assertEquals(Duration.ofSeconds(60), ctx.callLimit());

        long remaining = ctx.withinCallLimit(() -> CallDeadline.remainingNanos().orElseThrow());
        assertTrue(remaining > Duration.ofSeconds(50).toNanos() && remaining <= Duration.ofSeconds(58).toNanos(),
                "the platform's deadline, less its 2 s margin: " + remaining);
        assertThrows(RetriableConnectorException.class, () -> ctx.withinCallLimit(() -> {
            throw new RetriableConnectorException("down", "vendor down");
        }));
    }

    @Test
    void aCallPastItsLimitFailsTheTest() {
        TestContext slowReal = TestContext.builder(descriptor("example.com")).callLimit(Duration.ofMillis(200)).build();
        AssertionError hung = assertThrows(AssertionError.class, () -> slowReal.withinCallLimit(() -> {
            Thread.sleep(5_000);
            return null;
        }));
        assertTrue(hung.getMessage().contains("past its limit"), hung.getMessage());

        TestContext slowVirtual = TestContext.builder(descriptor("example.com")).virtualTime()
                .callLimit(SpiCall.COHORT_RUN).build();
        AssertionError paced = assertThrows(AssertionError.class, () -> slowVirtual.withinCallLimit(() -> {
            slowVirtual.sleeper().sleep(Duration.ofHours(3));  // three hours of polling, in no real time
            return null;
        }));
        assertTrue(paced.getMessage().contains("virtual clock"), paced.getMessage());
    }
}
