package dev.junction.plugins.sendgrid;

import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.VendorJobState;
import dev.junction.testkit.FakeHttpServer;
import dev.junction.testkit.MutableClock;
import dev.junction.testkit.SpiCall;
import dev.junction.testkit.TestCohortSyncRun;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cohort sync against a scripted SendGrid ({@link FakeHttpServer}) rather than the stateful fake:
 * the answers are computed from each request (the import job's id carries the number of contacts
 * sent; the job's counts come from its id), the import is polled through a path pattern, the run is
 * held to the platform's limit for a cohort run, and its polling waits on a virtual clock.
 */
class SendGridCohortSyncScriptedVendorTest {

    private static final Map<String, String> MAPPING = Map.of("email", "email", "first_name", "first_name",
            "last_name", "last_name");

    @Test
    void findsTheListByNameUpsertsIntoItAndWaitsForTheJobOnAVirtualClock() throws Exception {
        try (FakeHttpServer sendgrid = FakeHttpServer.start()) {
            sendgrid.on("GET", "/v3/marketing/lists").respond(200,
                    "{\"result\":[{\"id\":\"list-other\",\"name\":\"Other\"},{\"id\":\"list-vip\",\"name\":\"VIP\"}],"
                            + "\"_metadata\":{\"count\":2}}");
            sendgrid.on("PUT", "/v3/marketing/contacts").answer(request -> FakeHttpServer.Response.json(202,
                    "{\"job_id\":\"job-" + request.json().path("contacts").size() + "\"}"));
            AtomicInteger polls = new AtomicInteger();
            sendgrid.on("GET", "/v3/marketing/contacts/imports/{id}").answer(request -> {
                String id = request.pathParam("id");
                boolean done = polls.incrementAndGet() >= 3;  // pending twice, then completed
                int contacts = Integer.parseInt(id.substring("job-".length()));
                return FakeHttpServer.Response.json(200, "{\"id\":\"" + id + "\",\"status\":\""
                        + (done ? "completed" : "pending") + "\",\"results\":{\"requested_count\":" + contacts
                        + ",\"created_count\":" + (done ? contacts : 0) + "}}");
            });
            TestContext ctx = TestContext.builder(new SendGridConnector().descriptor())
                    .config(Map.of("api_key", "SG.scripted"))
                    .platformSetting("api_url", sendgrid.baseUrl())
                    .callLimit(SpiCall.COHORT_RUN)
                    .virtualTime()
                    .build();
            TestCohortSyncRun run = TestCohortSyncRun.builder(new CohortSyncSettings("sync-1", "vip", "VIP", MAPPING))
                    .add("ada@example.com", "Ada", "Lovelace")
                    .add("alan@example.com", "Alan", "Turing")
                    .build();

            ctx.withinCallLimit(() -> {
                new SendGridCohortSync(ctx.sleeper()::sleep).run(ctx, run);
                return null;
            });

            assertEquals(Set.of("ada@example.com", "alan@example.com"), run.accepted());
            assertEquals(Map.of("job-2", VendorJobState.COMPLETED), run.vendorJobStates());
            FakeHttpServer.Request upsert = sendgrid.requests("PUT", "/v3/marketing/contacts").get(0);
            assertEquals("list-vip", upsert.json().path("list_ids").path(0).asText(), "the list found by name");
            assertEquals(List.of("ada@example.com", "alan@example.com"),
                    List.of(upsert.json().path("contacts").path(0).path("email").asText(),
                            upsert.json().path("contacts").path(1).path("email").asText()));
            assertEquals(3, sendgrid.requests("GET", "/v3/marketing/contacts/imports/{id}").size());
            assertEquals("job-2", sendgrid.requests("GET", "/v3/marketing/contacts/imports/{id}").get(0).pathParam("id"));
            Duration waited = ((MutableClock) ctx.clock()).slept();
            assertTrue(waited.compareTo(Duration.ZERO) > 0, "the two pending polls were waited out on the clock: " + waited);
        }
    }
}
