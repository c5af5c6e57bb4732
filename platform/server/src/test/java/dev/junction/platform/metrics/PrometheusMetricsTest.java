package dev.junction.platform.metrics;

import dev.junction.platform.support.InboxDrain;
import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.Scrape;
import dev.junction.platform.support.SendGridWebhookData;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator's Prometheus and Kubernetes see: /prometheus after webhook traffic, and the probes. */
@MicronautTest(transactional = false)
@Property(name = "junction.webhooks.max-body-size", value = "64KB")
class PrometheusMetricsTest extends ApiTestBase {

    private static final String EVENTS = "junction_webhook_events_total";
    private static final String REQUESTS = "junction_webhook_requests_total";

    @Test
    void webhookTrafficShowsInTheMetricsByConnectorAndOutcome() {
        String t = newTenant("metrics");
        Api.Response installed = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("name", "SendGrid", "config", Map.of("api_key", "SG.metrics-test")));
        assertEquals(201, installed.status(), installed.toString());
        String path = URI.create(installed.json().get("webhook_url").asText()).getPath();
        byte[] body = SendGridWebhookData.sampleEvents();

        Scrape before = Scrape.of(api());
        assertEquals(200, api().send("POST", path, "application/json", body).status());
        assertEquals(200, api().send("POST", path, "application/json", body).status(), "the same batch again: duplicates");
        assertEquals(404, api().send("POST", "/v1/webhooks/" + "A".repeat(32), "application/json", body).status());
        assertEquals(413, api().send("POST", path, "application/json", new byte[70 * 1024]).status());
        InboxDrain.stream(installed.json().get("id").asText());
        Scrape after = Scrape.of(api());

        assertEquals(14, delta(before, after, EVENTS, "connector", "sendgrid", "outcome", "accepted"));
        assertEquals(14, delta(before, after, EVENTS, "connector", "sendgrid", "outcome", "duplicate"));
        assertEquals(2, delta(before, after, REQUESTS, "connector", "sendgrid", "outcome", "accepted"));
        assertEquals(1, delta(before, after, REQUESTS, "connector", "unknown", "outcome", "unknown_url"));
        assertEquals(1, delta(before, after, REQUESTS, "connector", "unknown", "outcome", "refused_size"));
        assertEquals(2, delta(before, after, "junction_plugin_call_duration_seconds_count",
                "connector", "sendgrid", "method", "normalize", "outcome", "ok"));
        // counters are exported with their conventional suffix and a HELP line; gauges exist from the start
        assertTrue(after.text().contains("# HELP " + EVENTS), "described");
        assertTrue(after.has("junction_delivery_backlog"), "backlog gauge");
        assertTrue(after.has("junction_delivery_backlog_oldest_age_seconds"), "oldest age gauge, in seconds");
        assertEquals(1, after.value("junction_database_up"));
        assertEquals(0, after.value("junction_plugin_disabled", "connector", "sendgrid"));
        assertTrue(after.has("junction_livetail_clients"));
        assertTrue(after.has("junction_ingest_backlog_events"), "ingest backlog gauge");
        assertTrue(after.has("junction_ingest_backlog_oldest_age_seconds"), "ingest oldest age gauge, in seconds");
        assertTrue(after.text().contains("junction_eventlog_write_duration_seconds_bucket{kind=\"webhook\",le=\"0.005\"}"),
                "histogram buckets fit a millisecond target");
    }

    @Test
    void livenessAndReadinessAreSeparateProbes() {
        Api.Response live = api().get("/health/liveness");
        assertEquals(200, live.status(), live.toString());
        Api.Response ready = api().get("/health/readiness");
        assertEquals(200, ready.status(), ready.toString());
        assertEquals("UP", ready.json().get("status").asText());
        // authenticated callers see why: database, migrations, plugins
        JsonNode details = platformAdmin().get("/health/readiness").json().path("details").path("readiness").path("details");
        assertEquals("reachable", details.path("database").asText(), details.toString());
        assertEquals("applied", details.path("migrations").asText(), details.toString());
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
