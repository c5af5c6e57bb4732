package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Webhook subscriptions through the API, and signed deliveries to the subscribed URL (G1). */
class WebhooksTest extends FakeKlaviyoTestBase {

    record Received(Map<String, String> headers, byte[] body) {}

    @Test
    void subscribedTopicsAreDeliveredSigned() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new Received(Map.of(
                    "id", ex.getRequestHeaders().getFirst("Klaviyo-Webhook-Id"),
                    "ts", ex.getRequestHeaders().getFirst("Klaviyo-Timestamp"),
                    "sig", ex.getRequestHeaders().getFirst("Klaviyo-Signature")), body));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Client.Response created = client.post("/api/webhooks", Client.json("{'data':{'type':'webhook',"
                    + "'attributes':{'name':'junction','endpoint_url':'" + url + "','secret_key':'s3cret'},"
                    + "'relationships':{'webhook-topics':{'data':[{'type':'webhook-topic',"
                    + "'id':'event:klaviyo.opened_email'}]}}}}"));
            assertEquals(201, created.status(), created.toString());
            String webhookId = created.json().path("data").path("id").asText();
            assertEquals(1, client.get("/api/webhooks").json().path("data").size());
            assertTrue(client.get("/api/webhook-topics").json().path("data").size() >= 5);

            String profileId = fake.state().seedProfile("r@example.com", null, Map.of()).id();
            fake.state().emitEvent("Clicked Email", profileId, null);
            FakeEvent opened = fake.state().emitEvent("Opened Email", profileId, null);
            Received r = received.poll(5, TimeUnit.SECONDS);
            assertTrue(r != null, "delivered");
            assertEquals(webhookId, r.headers().get("id"));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertEquals(HexFormat.of().formatHex(mac.doFinal(r.body())), r.headers().get("sig"));
            JsonNode doc = JsonApi.MAPPER.readTree(r.body());
            assertEquals("event:klaviyo.opened_email", doc.path("data").path(0).path("topic").asText());
            assertEquals(opened.id(), doc.path("data").path(0).path("external_id").asText());
            assertEquals(webhookId, doc.path("meta").path("klaviyo_webhook_id").asText());
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "Clicked Email was not subscribed");

            assertEquals(204, client.delete("/api/webhooks/" + webhookId, null).status());
            fake.state().emitEvent("Opened Email", profileId, null);
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "deleted webhooks receive nothing");
            fake.assertNoViolations();
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void unknownTopicsAreRefused() {
        Client.Response r = client.post("/api/webhooks", Client.json("{'data':{'type':'webhook',"
                + "'attributes':{'name':'x','endpoint_url':'https://example.com/h','secret_key':'k'},"
                + "'relationships':{'webhook-topics':{'data':[{'type':'webhook-topic','id':'event:nope'}]}}}}"));
        assertEquals(400, r.status());
    }
}
