package dev.junction.platform.eventlog;

import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.platform.support.SseClient;
import dev.junction.platform.support.Tokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live tail across replicas: clients connected to a second server instance receive events
 * ingested through the first, through PostgreSQL LISTEN/NOTIFY on the shared database.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveTailTest extends ApiTestBase {

    private EmbeddedServer second;

    @BeforeAll
    void startSecondInstance() {
        second = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1), "test");
    }

    @AfterAll
    void stopSecondInstance() {
        second.close();
    }

    private String installOnFirst(String tenant) {
        Api.Response r = tenantAdmin(tenant).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("config", Map.of("api_key", "SG.tail")));
        return URI.create(r.json().get("webhook_url").asText()).getPath();
    }

    private SseClient streamOnSecond(String query, String token, String lastEventId) {
        return new SseClient(second.getURI().resolve("/v1/admin/events/stream" + query), token, lastEventId).awaitConnected();
    }

    private void postToFirst(String path, int n, String prefix) {
        Api.Response r = api().send("POST", path, "application/json",
                SendGridWebhookData.batch(n, prefix).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.toString());
    }

    @Test
    void eventsIngestedOnOneInstanceReachClientsOfAnother() {
        String a = newTenant("tail-a");
        String b = newTenant("tail-b");
        String path = installOnFirst(a);
        try (SseClient clientA = streamOnSecond("", Tokens.tenantAdmin(a), null);
             SseClient clientB = streamOnSecond("", Tokens.tenantAdmin(b), null);
             SseClient opensOnly = streamOnSecond("?name=%5BSendgrid%5D%20open", Tokens.viewer(a), null)) {
            long start = System.nanoTime();
            postToFirst(path, 8, UUID.randomUUID().toString());
            List<SseClient.Message> got = clientA.take(8, Duration.ofSeconds(10));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(8, got.size(), "received in " + millis + " ms");
            assertTrue(got.stream().allMatch(m -> m.data().get("name").asText().startsWith("[Sendgrid] ")));
            assertTrue(got.stream().allMatch(m -> m.id() != null && m.id().equals(m.data().get("id").asText())));
            assertEquals("sendgrid", got.get(0).data().at("/payload/library").asText(), "the full record");

            List<SseClient.Message> opens = opensOnly.take(2, Duration.ofSeconds(5));
            assertEquals(2, opens.size());
            assertTrue(opens.stream().allMatch(m -> m.data().get("name").asText().equals("[Sendgrid] open")));
            assertEquals(0, clientB.take(1, Duration.ofMillis(500)).size(), "another tenant receives nothing");
        }
    }

    @Test
    void lastEventIdResumesWhereTheClientLeftOff() {
        String t = newTenant("resume");
        String path = installOnFirst(t);
        String lastId;
        try (SseClient client = streamOnSecond("", Tokens.tenantAdmin(t), null)) {
            postToFirst(path, 3, "before-" + UUID.randomUUID());
            List<SseClient.Message> got = client.take(3, Duration.ofSeconds(10));
            assertEquals(3, got.size());
            lastId = got.get(2).id();
        }
        String missedPrefix = "missed-" + UUID.randomUUID();
        postToFirst(path, 4, missedPrefix);
        try (SseClient resumed = streamOnSecond("", Tokens.tenantAdmin(t), lastId)) {
            List<SseClient.Message> replay = resumed.take(20, Duration.ofSeconds(3));
            Set<String> keys = replay.stream().map(m -> m.data().get("dedupe_key").asText()).collect(Collectors.toSet());
            for (int i = 0; i < 4; i++) {
                assertTrue(keys.contains(missedPrefix + "-" + i), "missed event " + i + " replayed: " + keys);
            }
            assertTrue(replay.stream().noneMatch(m -> m.id().equals(lastId)), "not the one it had");
        }
        assertEquals(400, api().as(Tokens.tenantAdmin(t)).with("Last-Event-ID", "garbage").get("/v1/admin/events/stream").status());
    }

    @Test
    void streamingNeedsAToken() {
        assertEquals(401, new SseClient(second.getURI().resolve("/v1/admin/events/stream"), "bad", null).status());
    }
}
