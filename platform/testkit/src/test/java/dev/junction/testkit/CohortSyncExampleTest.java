package dev.junction.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.cohort.CohortMember;
import dev.junction.spi.cohort.VendorJobState;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.runtime.http.Sleeper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How to test a {@link CohortSync} with the kit, end to end: a small sync against a scripted vendor
 * ({@link FakeHttpServer} with path patterns and answers computed from the request), the members
 * handed out by a {@link TestCohortSyncRun}, the run time-boxed as the platform does
 * ({@link TestContext#withinCallLimit}), and the vendor's job polled on a virtual clock, so the
 * test does not sleep.
 */
class CohortSyncExampleTest {

    /**
     * The sync under test, as a plugin would write it: adds members in batches to the list named by
     * the settings, waits for the vendor's import job, then removes members. Its waits go through a
     * {@link Sleeper} the platform's constructor would make really sleep.
     */
    static final class ExampleCohortSync implements CohortSync {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Sleeper sleeper;

        ExampleCohortSync(Sleeper sleeper) {
            this.sleeper = sleeper;
        }

        @Override
        public void run(ConnectorContext ctx, CohortSyncRun run) throws ConnectorException {
            String base = ctx.platformSetting("api_url").orElse("https://api.example.com");
            String list = URLEncoder.encode(run.settings().listName(), StandardCharsets.UTF_8);
            run.forEachAddition(2, batch -> {
                List<Map<String, String>> members = batch.stream()
                        .map(m -> Map.of("email", m.email(), "first_name", m.firstName() == null ? "" : m.firstName()))
                        .toList();
                HttpResult accepted = send(ctx, HttpCall.put(URI.create(base + "/v1/lists/" + list + "/members"))
                        .json(bytes(Map.of("members", members))).build());
                String job = read(accepted).path("job_id").asText();
                awaitJob(ctx, run, base, job);
                run.accepted(batch.stream().map(CohortMember::email).toList());
            });
            run.forEachRemoval(100, batch -> {
                for (CohortMember m : batch) {
                    send(ctx, HttpCall.delete(URI.create(base + "/v1/lists/" + list + "/members/"
                            + URLEncoder.encode(m.email(), StandardCharsets.UTF_8))).build());
                }
                run.removed(batch.stream().map(CohortMember::email).toList());
            });
        }

        private void awaitJob(ConnectorContext ctx, CohortSyncRun run, String base, String job) throws ConnectorException {
            for (Duration wait = Duration.ofSeconds(1); ; wait = wait.multipliedBy(2)) {
                String state = read(send(ctx, HttpCall.get(URI.create(base + "/v1/jobs/" + job)).build()))
                        .path("state").asText();
                run.vendorJob(job, state.equals("done") ? VendorJobState.COMPLETED : VendorJobState.PROCESSING, null);
                if (state.equals("done")) {
                    return;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PermanentConnectorException("interrupted", "The run was stopped");
                }
            }
        }

        private static HttpResult send(ConnectorContext ctx, HttpCall call) throws ConnectorException {
            HttpResult r = ctx.http().send(call);
            if (!r.isSuccess()) {
                throw new PermanentConnectorException("vendor_refused", "The vendor answered " + r.status());
            }
            return r;
        }

        private static com.fasterxml.jackson.databind.JsonNode read(HttpResult r) throws ConnectorException {
            try {
                return JSON.readTree(r.body());
            } catch (java.io.IOException e) {
                throw new PermanentConnectorException("bad_answer", "The vendor's answer is not JSON");
            }
        }

        private static byte[] bytes(Object value) {
            try {
                return JSON.writeValueAsBytes(value);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void addsInBatchesWaitsForEachJobAndRemoves() throws Exception {
        try (FakeHttpServer vendor = FakeHttpServer.start()) {
            AtomicInteger jobs = new AtomicInteger();
            AtomicInteger polls = new AtomicInteger();
            // an answer computed from the request: a job id per import, naming the list from the path
            vendor.on("PUT", "/v1/lists/{list}/members").answer(request -> FakeHttpServer.Response.json(202,
                    "{\"job_id\":\"" + request.pathParam("list") + "-" + jobs.incrementAndGet() + "\"}"));
            // every job is "running" on its first poll and "done" on the second
            vendor.on("GET", "/v1/jobs/{id}").answer(request -> FakeHttpServer.Response.json(200,
                    "{\"state\":\"" + (polls.incrementAndGet() % 2 == 1 ? "running" : "done") + "\"}"));
            vendor.on("DELETE", "/v1/lists/{list}/members/{email}").respond(204, "");

            TestContext ctx = TestContext.builder(TestContextTimeTest.descriptor("127.0.0.1"))
                    .platformSetting("api_url", vendor.baseUrl())
                    .callLimit(SpiCall.COHORT_RUN)
                    .virtualTime()
                    .build();
            TestCohortSyncRun run = TestCohortSyncRun.builder(new CohortSyncSettings("sync-1", "vip", "vip-list",
                            Map.of("email", "email", "first_name", "first_name")))
                    .add("ada@example.com", "Ada", "Lovelace")
                    .add("alan@example.com", "Alan", "Turing")
                    .add("grace@example.com", "Grace", "Hopper")
                    .remove("old@example.com")
                    .build();

            ctx.withinCallLimit(() -> {
                new ExampleCohortSync(ctx.sleeper()).run(ctx, run);
                return null;
            });

            assertEquals(Set.of("ada@example.com", "alan@example.com", "grace@example.com"), run.accepted());
            assertEquals(Set.of("old@example.com"), run.removed());
            assertTrue(run.unreportedAdditions().isEmpty());
            assertEquals(Map.of("vip-list-1", VendorJobState.COMPLETED, "vip-list-2", VendorJobState.COMPLETED), run.vendorJobStates());
            List<FakeHttpServer.Request> imports = vendor.requests("PUT", "/v1/lists/{list}/members");
            assertEquals(List.of(2, 1), imports.stream().map(r -> r.json().path("members").size()).toList());
            assertEquals("Ada", imports.get(0).json().path("members").path(0).path("first_name").asText());
            assertEquals("old@example.com",
                    vendor.requests("DELETE", "/v1/lists/{list}/members/{email}").get(0).pathParam("email"));
            assertEquals(Duration.ofSeconds(2), ((MutableClock) ctx.clock()).slept(), "one 1 s wait per job, not slept");
        }
    }
}
