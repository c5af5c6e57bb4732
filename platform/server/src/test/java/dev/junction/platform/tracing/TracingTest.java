package dev.junction.platform.tracing;

import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.testkit.FakeHttpServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With tracing on, a webhook's ingest and the plugin calls inside it reach an OTLP/HTTP collector as spans. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingTest extends ApiTestBase implements TestPropertyProvider {

    private FakeHttpServer collector;

    @Override
    public Map<String, String> getProperties() {
        collector = FakeHttpServer.start();
        collector.on("POST", "/v1/traces").respond(200, "");
        return Map.of("junction.tracing.enabled", "true", "junction.tracing.otlp-endpoint", collector.baseUrl() + "/v1/traces");
    }

    @AfterAll
    void stop() {
        collector.close();
    }

    @Test
    void webhookIngestAndPluginCallsAreExportedAsSpans() throws Exception {
        String t = newTenant("traced");
        Api.Response installed = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("name", "SendGrid", "config", Map.of("api_key", "SG.tracing-test")));
        assertEquals(201, installed.status(), installed.toString());
        String path = URI.create(installed.json().get("webhook_url").asText()).getPath();
        assertEquals(200, api().send("POST", path, "application/json", SendGridWebhookData.sampleEvents()).status());

        // OTLP/HTTP bodies are protobuf, in which span names and attribute values are plain UTF-8
        String exported = "";
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline && !(exported.contains("webhook.ingest") && exported.contains("plugin.call"))) {
            Thread.sleep(200);
            StringBuilder all = new StringBuilder();
            collector.requests("POST", "/v1/traces").forEach(r -> all.append(new String(r.body(), StandardCharsets.ISO_8859_1)));
            exported = all.toString();
        }
        assertTrue(exported.contains("webhook.ingest"), "the ingest span was exported");
        assertTrue(exported.contains("plugin.call") && exported.contains("normalize"), "the plugin calls were exported");
        assertTrue(!exported.contains("SG.tracing-test"), "no secret in any span");
    }
}
