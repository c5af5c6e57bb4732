package dev.junction.platform.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.plugin.fixtures.Fixtures;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.CapturedLogs;
import dev.junction.testkit.FakeHttpServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugins directory full of broken plugins beside a working one: every broken plugin is
 * disabled with its reason in the catalog and /v1/admin/plugins, and the platform keeps serving.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginRobustnessTest extends ApiTestBase implements TestPropertyProvider {

    private static final FakeHttpServer VENDOR = FakeHttpServer.start();

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("junction-plugins-");
            TestPlugins.copyBuilt(dir, "sendgrid");
            TestPlugins.zip(dir, "throws", null, List.of(Fixtures.ThrowingCheck.class));
            TestPlugins.zip(dir, "hangs", null, List.of(Fixtures.HangingCheck.class));
            TestPlugins.zip(dir, "healthy", null, List.of(Fixtures.Healthy.class));
            TestPlugins.zip(dir, "ratelimited", null, List.of(Fixtures.RateLimitedCheck.class));
            TestPlugins.zip(dir, "spi2", null, List.of(Fixtures.NewerSpi.class));
            TestPlugins.zip(dir, "badschema", null, List.of(Fixtures.BadSchema.class));
            TestPlugins.zip(dir, "nocap", null, List.of(Fixtures.OrphanCapability.class, Fixtures.OrphanCapability.Orphan.class));
            TestPlugins.zip(dir, "dupcap", null, List.of(Fixtures.DuplicateCapability.class,
                    Fixtures.DuplicateCapability.SourceA.class, Fixtures.DuplicateCapability.SourceB.class));
            TestPlugins.zip(dir, "baddescriptor", null, List.of(Fixtures.ThrowingDescriptor.class));
            TestPlugins.zip(dir, "two", null, List.of(Fixtures.Healthy.class, Fixtures.ThrowingCheck.class));
            TestPlugins.zip(dir, "future", "plugin.id=future\nplugin.version=1.0.0\nplugin.requires=>=2.0.0\n",
                    List.of(Fixtures.Healthy.class));
            TestPlugins.zip(dir, "noid", "plugin.version=1.0.0\n", List.of(Fixtures.Healthy.class));
            Files.writeString(dir.resolve("garbage.zip"), "this is not a zip");
            VENDOR.on("GET", "/limited").respond(429, "{}", "Retry-After", "40");
            return Map.of("junction.plugins-dir", dir.toString(), "junction.plugins.call-timeout", "2s",
                    "junction.fixture-ratelimited.api-url", VENDOR.baseUrl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, JsonNode> plugins() {
        Api.Response r = platformAdmin().get("/v1/admin/plugins");
        assertEquals(200, r.status(), r.toString());
        Map<String, JsonNode> byId = new HashMap<>();
        r.json().get("items").forEach(p -> byId.put(p.get("id").asText(), p));
        return byId;
    }

    @Test
    void brokenPluginsAreRefusedWithReasons() {
        Map<String, JsonNode> plugins = plugins();
        assertEquals("started", plugins.get("sendgrid").get("state").asText());
        assertEquals("started", plugins.get("healthy").get("state").asText());
        assertTrue(plugins.get("spi2").get("error").asText().contains("2.0.0"), plugins.get("spi2").toString());
        assertTrue(plugins.get("badschema").get("error").asText().contains("config schema"), plugins.get("badschema").toString());
        assertTrue(plugins.get("nocap").get("error").asText().contains("Orphan implements ConnectorCapability but none of"),
                plugins.get("nocap").toString());
        assertTrue(plugins.get("dupcap").get("error").asText().contains("two extensions provide event_source"),
                plugins.get("dupcap").toString());
        assertTrue(plugins.get("baddescriptor").get("error").asText().contains("descriptor()"), plugins.get("baddescriptor").toString());
        assertTrue(plugins.get("two").get("error").asText().contains("exactly one Connector"), plugins.get("two").toString());
        assertTrue(plugins.get("future").get("error").asText().contains(">=2.0.0"), plugins.get("future").toString());
        for (String failed : List.of("spi2", "badschema", "nocap", "dupcap", "baddescriptor", "two", "future")) {
            assertEquals("failed", plugins.get(failed).get("state").asText(), failed);
        }
        assertTrue(plugins.values().stream().anyMatch(p -> p.get("id").asText().startsWith("noid")
                && p.get("state").asText().equals("failed")), plugins.keySet().toString());
        assertTrue(plugins.values().stream().anyMatch(p -> p.get("id").asText().startsWith("garbage")
                && p.get("state").asText().equals("failed")), plugins.keySet().toString());
    }

    @Test
    void failedPluginsShowAsDisabledInTheCatalog() {
        String t = newTenant("robust");
        Map<String, JsonNode> catalog = new HashMap<>();
        tenantAdmin(t).get("/v1/admin/integration-catalog").json().get("items")
                .forEach(e -> catalog.put(e.get("slug").asText(), e));
        assertEquals("preview", catalog.get("sendgrid").get("status").asText());
        assertEquals("disabled", catalog.get("spi2").get("status").asText());
        assertTrue(catalog.get("spi2").get("disabled_reason").asText().contains("SPI"));
        assertEquals("disabled", tenantAdmin(t).get("/v1/admin/integration-catalog/future").json().get("status").asText());
    }

    @Test
    void aThrowingCheckDisablesOnlyThatConnectorAndLeaksNoSecret() {
        String t = newTenant("throwing");
        String secret = "tok-" + System.nanoTime() + "-secret";
        Api.Response r = tenantAdmin(t).post("/v1/admin/integration-catalog/fixture-throws/install",
                Map.of("config", Map.of("token", secret)));
        assertEquals(503, r.status(), r.toString());
        assertFalse(r.body().contains(secret), r.body());
        JsonNode entry = tenantAdmin(t).get("/v1/admin/integration-catalog/fixture-throws").json();
        assertEquals("disabled", entry.get("status").asText());
        assertTrue(entry.get("disabled_reason").asText().contains("IllegalStateException"), entry.toString());
        assertFalse(entry.toString().contains(secret), "reason is masked");
        assertTrue(CapturedLogs.containing(secret).isEmpty(), "no secret in logs: " + CapturedLogs.containing(secret));
        assertEquals(0, tenantAdmin(t).get("/v1/admin/installations").json().get("items").size(), "nothing stored");

        // the platform and the other connectors go on
        Api.Response healthy = tenantAdmin(t).post("/v1/admin/integration-catalog/fixture-healthy/install",
                Map.of("config", Map.of("token", "x")));
        assertEquals(201, healthy.status(), healthy.toString());
        assertEquals("fine", healthy.json().at("/last_check/message").asText());

        // an operator re-enables it after a look
        assertEquals(200, platformAdmin().post("/v1/admin/plugins/throws/enable", Map.of()).status());
        assertEquals("available",
                tenantAdmin(t).get("/v1/admin/integration-catalog/fixture-throws").json().get("status").asText());
    }

    @Test
    void aVendorRateLimitLongerThanTheCallIsARetriableFailureNotADefect() {
        String t = newTenant("limited");
        long start = System.nanoTime();
        Api.Response r = tenantAdmin(t).post("/v1/admin/integration-catalog/fixture-ratelimited/install",
                Map.of("config", Map.of("token", "x")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(502, r.status(), r.toString());
        assertEquals("rate_limited", r.json().get("code").asText());
        assertTrue(millis < 2_000, "gave up within the call limit: " + millis + " ms");
        assertEquals("available", tenantAdmin(t).get("/v1/admin/integration-catalog/fixture-ratelimited").json()
                .get("status").asText(), "not disabled");
    }

    @Test
    void aHangingCheckIsCutOffAndDisablesTheConnector() {
        String t = newTenant("hanging");
        long start = System.nanoTime();
        Api.Response r = tenantAdmin(t).post("/v1/admin/integration-catalog/fixture-hangs/install",
                Map.of("config", Map.of("token", "x")));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(503, r.status(), r.toString());
        assertTrue(seconds < 10, "answered after " + seconds + " s");
        JsonNode entry = tenantAdmin(t).get("/v1/admin/integration-catalog/fixture-hangs").json();
        assertEquals("disabled", entry.get("status").asText());
        assertTrue(entry.get("disabled_reason").asText().contains("did not finish"), entry.toString());
        assertEquals(200, api().get("/health").status(), "still serving");
    }
}
