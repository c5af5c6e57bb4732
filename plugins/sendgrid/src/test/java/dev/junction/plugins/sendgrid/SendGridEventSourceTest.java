package dev.junction.plugins.sendgrid;

import dev.junction.runtime.JacksonJson;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.source.SourceEvent;
import dev.junction.spi.source.WebhookRequest;
import dev.junction.spi.source.WebhookVerification;
import dev.junction.testkit.MutableClock;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SendGrid's own signature test vector and every sample event type. */
class SendGridEventSourceTest {

    private final SendGridConnector connector = new SendGridConnector();
    private final SendGridEventSource source = new SendGridEventSource();

    @SuppressWarnings("unchecked")
    static Map<String, Object> vector() throws IOException {
        try (InputStream in = SendGridEventSourceTest.class.getResourceAsStream("/sendgrid-webhook/signature-vector.json")) {
            return (Map<String, Object>) JacksonJson.INSTANCE.parse(in.readAllBytes());
        }
    }

    static byte[] sampleEvents() throws IOException {
        try (InputStream in = SendGridEventSourceTest.class.getResourceAsStream("/sendgrid-webhook/sample-events.json")) {
            return in.readAllBytes();
        }
    }

    private TestContext context(String key, Instant now) {
        Map<String, Object> config = new HashMap<>();
        config.put("api_key", "SG.x");
        if (key != null) {
            config.put("webhook_verification_key", key);
        }
        return TestContext.builder(connector.descriptor()).config(config).clock(new MutableClock(now)).build();
    }

    private static WebhookRequest request(String payload, String signature, String timestamp) {
        Map<String, List<String>> headers = new HashMap<>();
        if (signature != null) {
            headers.put(SendGridEventSource.SIGNATURE_HEADER, List.of(signature));
        }
        if (timestamp != null) {
            headers.put(SendGridEventSource.TIMESTAMP_HEADER, List.of(timestamp));
        }
        return new WebhookRequest("POST", headers, payload.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    @Test
    void theSignatureVectorVerifies() throws IOException {
        Map<String, Object> v = vector();
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong((String) v.get("timestamp")));
        WebhookVerification verdict = source.verify(context((String) v.get("public_key"), signedAt.plusSeconds(30)),
                request((String) v.get("payload"), (String) v.get("signature"), (String) v.get("timestamp")));
        assertTrue(verdict.accepted(), String.valueOf(verdict.reason()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyNegativeVariantIsRejected() throws IOException {
        Map<String, Object> base = vector();
        List<Map<String, Object>> variants = (List<Map<String, Object>>) base.get("negative_variants");
        assertTrue(variants.size() >= 7, "all variants present: " + variants.size());
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong((String) base.get("timestamp")));
        for (Map<String, Object> v : variants) {
            String timestamp = (String) v.getOrDefault("timestamp", base.get("timestamp"));
            WebhookVerification verdict = source.verify(context((String) v.getOrDefault("public_key", base.get("public_key")),
                            signedAt.plusSeconds(30)),
                    request((String) v.getOrDefault("payload", base.get("payload")),
                            (String) v.getOrDefault("signature", base.get("signature")), timestamp));
            assertFalse(verdict.accepted(), v.get("name") + " must be rejected");
        }
    }

    @Test
    void oldAndMissingTimestampsAreRejected() throws IOException {
        Map<String, Object> v = vector();
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong((String) v.get("timestamp")));
        WebhookRequest valid = request((String) v.get("payload"), (String) v.get("signature"), (String) v.get("timestamp"));
        WebhookVerification stale = source.verify(context((String) v.get("public_key"), signedAt.plusSeconds(601)), valid);
        assertFalse(stale.accepted());
        assertTrue(stale.reason().contains("600 s away"), stale.reason());
        assertFalse(source.verify(context((String) v.get("public_key"), signedAt.minusSeconds(601)), valid).accepted(),
                "a timestamp from the future is refused too");
        assertFalse(source.verify(context((String) v.get("public_key"), signedAt),
                request((String) v.get("payload"), null, null)).accepted(), "unsigned request when a key is set");
    }

    @Test
    void absurdTimestampsAreRejectionsNotExceptions() throws Exception {
        Map<String, Object> v = vector();
        TestContext ctx = context((String) v.get("public_key"), Instant.now());
        for (String ts : List.of("99999999999999999", "-99999999999999999", String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE))) {
            assertFalse(source.verify(ctx, request((String) v.get("payload"), (String) v.get("signature"), ts)).accepted(), ts);
        }
        String body = "[{\"email\":\"a@b.c\",\"event\":\"open\",\"sg_event_id\":\"x1\",\"timestamp\":-1000000000000000000},"
                + "{\"email\":\"a@b.c\",\"event\":\"open\",\"sg_event_id\":\"x2\",\"timestamp\":1e300},"
                + "{\"email\":\"a@b.c\",\"event\":\"open\",\"sg_event_id\":\"x3\",\"timestamp\":\"soon\"}]";
        Instant received = Instant.parse("2026-11-23T12:00:00Z");
        List<SourceEvent> events = source.normalize(ctx, new WebhookRequest("POST", Map.of(),
                body.getBytes(StandardCharsets.UTF_8), received));
        assertTrue(events.stream().allMatch(e -> e.timestamp().equals(received)), "receipt time stands in");
    }

    @Test
    void withoutAKeyRequestsAreAcceptedUnsigned() {
        assertTrue(source.verify(context(null, Instant.now()), request("[]", null, null)).accepted());
    }

    @Test
    void everySampleEventTypeIsNormalised() throws Exception {
        TestContext ctx = context(null, Instant.now());
        List<SourceEvent> events = source.normalize(ctx, new WebhookRequest("POST", Map.of(), sampleEvents(), Instant.now()));
        assertEquals(14, events.size());
        Set<String> names = events.stream().map(SourceEvent::name).collect(Collectors.toSet());
        assertEquals(Set.of("[Sendgrid] processed", "[Sendgrid] dropped", "[Sendgrid] delivered", "[Sendgrid] deferred",
                "[Sendgrid] bounce", "[Sendgrid] open", "[Sendgrid] click", "[Sendgrid] spamreport", "[Sendgrid] unsubscribe",
                "[Sendgrid] group_unsubscribe", "[Sendgrid] group_resubscribe"), names);
        assertEquals(14, events.stream().map(SourceEvent::dedupeKey).distinct().count(), "sg_event_id keys are unique");
        for (SourceEvent e : events) {
            assertEquals("sendgrid", e.library());
            assertEquals(e.properties().get("sg_event_id"), e.dedupeKey());
            assertEquals(((Number) e.properties().get("timestamp")).longValue(), e.timestamp().getEpochSecond());
            assertEquals(((String) e.properties().get("email")).toLowerCase(), e.userId());
            assertEquals(e.properties().get("event"), e.name().substring("[Sendgrid] ".length()));
        }
        SourceEvent blockedWithoutStatus = events.stream().filter(e -> "nomx@invalid.example".equals(e.properties().get("email")))
                .findFirst().orElseThrow();
        assertFalse(blockedWithoutStatus.properties().containsKey("status"));
    }

    @Test
    void ampUserIdWinsOverTheEmailAndEmailsAreLowerCased() throws Exception {
        String body = "[{\"email\":\"Mixed@Case.COM\",\"event\":\"open\",\"sg_event_id\":\"a1\",\"timestamp\":1700000000},"
                + "{\"email\":\"x@y.z\",\"event\":\"click\",\"sg_event_id\":\"a2\",\"timestamp\":1700000001,\"amp_user_id\":\"user-42\"},"
                + "{\"email\":\"n@o.id\",\"event\":\"open\",\"timestamp\":1700000002}]";
        List<SourceEvent> events = source.normalize(context(null, Instant.now()),
                new WebhookRequest("POST", Map.of(), body.getBytes(StandardCharsets.UTF_8), Instant.now()));
        assertEquals("mixed@case.com", events.get(0).userId());
        assertEquals("user-42", events.get(1).userId());
        assertTrue(events.get(2).dedupeKey().startsWith("sha256:"), "no sg_event_id: keyed by content");
    }

    @Test
    void malformedBodiesArePermanentFailures() {
        TestContext ctx = context(null, Instant.now());
        for (String bad : List.of("{not json", "{\"event\":\"open\"}", "\"payload\"", "[1,2]")) {
            assertThrows(PermanentConnectorException.class, () -> source.normalize(ctx,
                    new WebhookRequest("POST", Map.of(), bad.getBytes(StandardCharsets.UTF_8), Instant.now())), bad);
        }
    }
}
