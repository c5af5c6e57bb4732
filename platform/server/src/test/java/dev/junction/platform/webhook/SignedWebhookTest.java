package dev.junction.platform.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.InboxDrain;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.testkit.MutableClock;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SendGrid's signed Event Webhook end to end, with SendGrid's own test vector. The server's clock
 * is set to just after the vector was signed (2020-09-14), since the timestamp window applies.
 */
@MicronautTest(transactional = false)
@Property(name = "junction.test.vector-clock", value = "true")
class SignedWebhookTest extends ApiTestBase {

    private static final JsonNode VECTOR = SendGridWebhookData.signatureVector();
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(Long.parseLong(VECTOR.get("timestamp").asText()));

    /** Only in this test's context: beans of test sources are otherwise visible to every test. */
    @Factory
    @Requires(property = "junction.test.vector-clock", value = "true")
    static class VectorClock {
        @Singleton
        @Replaces(Clock.class)
        MutableClock clock() {
            return new MutableClock(SIGNED_AT.plusSeconds(30));
        }
    }

    @Inject
    MutableClock clock;

    @BeforeEach
    void resetClock() {
        clock.set(SIGNED_AT.plusSeconds(30));
    }

    private String installSigned(String tenant) {
        Api.Response r = tenantAdmin(tenant).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("config", Map.of("api_key", "SG.signed", "webhook_verification_key", VECTOR.get("public_key").asText())));
        assertEquals(201, r.status(), r.toString());
        return URI.create(r.json().get("webhook_url").asText()).getPath();
    }

    private Api.Response post(String path, String payload, String signature, String timestamp) {
        Api client = api();
        if (signature != null) {
            client = client.with("X-Twilio-Email-Event-Webhook-Signature", signature);
        }
        if (timestamp != null) {
            client = client.with("X-Twilio-Email-Event-Webhook-Timestamp", timestamp);
        }
        return client.send("POST", path, "application/json", payload.getBytes(StandardCharsets.UTF_8));
    }

    private int stored(String tenant) {
        return tenantAdmin(tenant).get("/v1/admin/events?direction=inbound&status=accepted").json().get("items").size();
    }

    @Test
    void theVectorIsAcceptedOnceAndItsReplayIsADuplicate() {
        String t = newTenant("signed");
        String path = installSigned(t);
        Api.Response r = post(path, VECTOR.get("payload").asText(), VECTOR.get("signature").asText(), VECTOR.get("timestamp").asText());
        assertEquals(200, r.status(), r.toString());
        assertEquals(1, r.json().get("accepted").asInt());
        InboxDrain.tenant(t);
        JsonNode event = tenantAdmin(t).get("/v1/admin/events?direction=inbound").json().at("/items/0");
        assertEquals("[Sendgrid] dropped", event.get("name").asText());
        assertEquals("hello@world.com", event.get("user_id").asText());

        Api.Response replay = post(path, VECTOR.get("payload").asText(), VECTOR.get("signature").asText(), VECTOR.get("timestamp").asText());
        assertEquals(200, replay.status(), "a replay inside the window is acknowledged");
        InboxDrain.tenant(t);
        assertEquals(1, stored(t), "and stored once");
    }

    @Test
    void everyNegativeVariantIsRefusedWith403() {
        String t = newTenant("forged");
        String path = installSigned(t);
        for (JsonNode v : VECTOR.get("negative_variants")) {
            String payload = v.has("payload") ? v.get("payload").asText() : VECTOR.get("payload").asText();
            String signature = v.has("signature") ? v.get("signature").asText() : VECTOR.get("signature").asText();
            String timestamp = v.has("timestamp") ? v.get("timestamp").asText() : VECTOR.get("timestamp").asText();
            if (v.has("public_key") && !v.get("public_key").asText().equals(VECTOR.get("public_key").asText())) {
                // a different key: the installation must be configured with it for the test to mean anything
                String other = tenantAdmin(t).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                        Map.of("config", Map.of("api_key", "SG.other", "webhook_verification_key", v.get("public_key").asText())))
                        .json().get("webhook_url").asText();
                assertEquals(403, post(URI.create(other).getPath(), payload, signature, timestamp).status(), v.get("name").asText());
                continue;
            }
            Api.Response r = post(path, payload, signature, timestamp);
            assertEquals(403, r.status(), v.get("name").asText() + ": " + r);
            assertEquals("application/problem+json", r.contentType());
        }
        InboxDrain.tenant(t);
        assertEquals(0, stored(t), "nothing stored");
        assertEquals(VECTOR.get("negative_variants").size(),
                tenantAdmin(t).get("/v1/admin/events?status=rejected").json().get("items").size(), "each rejection is logged");
    }

    @Test
    void aReplayOutsideTheWindowAndUnsignedRequestsAreRefused() {
        String t = newTenant("replay");
        String path = installSigned(t);
        clock.advance(Duration.ofMinutes(11));
        assertEquals(403, post(path, VECTOR.get("payload").asText(), VECTOR.get("signature").asText(),
                VECTOR.get("timestamp").asText()).status());
        clock.set(SIGNED_AT.plusSeconds(30));
        assertEquals(403, post(path, VECTOR.get("payload").asText(), null, null).status());
        assertEquals(403, post(path, VECTOR.get("payload").asText(), VECTOR.get("signature").asText(), null).status());
        assertEquals(0, stored(t));
    }

    @Test
    void absurdInputCannotSwitchTheConnectorOff() {
        String t = newTenant("absurd");
        String path = installSigned(t);
        for (String ts : new String[]{"99999999999999999", "-1", "1e99"}) {
            Api.Response r = post(path, VECTOR.get("payload").asText(), VECTOR.get("signature").asText(), ts);
            assertEquals(403, r.status(), ts + ": " + r);
        }
        assertEquals("preview", tenantAdmin(t).get("/v1/admin/integration-catalog/sendgrid").json().get("status").asText());
        assertEquals(200, post(path, VECTOR.get("payload").asText(), VECTOR.get("signature").asText(),
                VECTOR.get("timestamp").asText()).status());
    }
}
