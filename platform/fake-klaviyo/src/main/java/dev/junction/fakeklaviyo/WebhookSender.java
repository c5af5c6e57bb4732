package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers events to subscribed webhooks as Klaviyo's "working with system webhooks" guide describes: a POST of
 * {@code {"data":[{"topic","external_id","payload"}],"meta":{"klaviyo_account_id","klaviyo_webhook_id","timestamp"}}}
 * with headers {@code Klaviyo-Webhook-Id}, {@code Klaviyo-Timestamp} and {@code Klaviyo-Signature}. G1: the
 * signature is the lower-case hex HMAC-SHA256 of the raw body bytes keyed with the webhook's {@code secret_key}
 * (the guide shows a 64-hex-digit value; its exact input is not in the sources available here).
 */
final class WebhookSender {
    /** One delivery attempt. */
    public record Delivery(String webhookId, String url, String topic, String body, String signature,
            String timestamp, int status) {}

    private final Account account;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    WebhookSender(Account account) {
        this.account = account;
    }

    /** The topic an event of this metric publishes to: {@code event:klaviyo.<metric name, snake_case>}. */
    static String topicOf(String metricName) {
        return "event:klaviyo." + metricName.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    void eventRecorded(FakeEvent event) {
        String topic = topicOf(event.metricName());
        for (Account.Webhook w : account.webhooksFor(topic)) {
            deliver(w, topic, event);
        }
    }

    private void deliver(Account.Webhook w, String topic, FakeEvent event) {
        Instant now = Instant.now();
        ObjectNode doc = JsonApi.object();
        ObjectNode item = doc.putArray("data").addObject();
        item.put("topic", topic);
        item.put("external_id", event.id());
        ObjectNode payload = item.putObject("payload");
        ObjectNode data = payload.putObject("data");
        data.put("type", "event");
        data.put("id", event.id());
        ObjectNode attributes = data.putObject("attributes");
        attributes.put("timestamp", event.time().getEpochSecond());
        attributes.put("datetime", JsonApi.time(event.time()));
        attributes.set("event_properties", event.properties().deepCopy());
        ObjectNode rel = data.putObject("relationships");
        rel.putObject("profile").set("data", JsonApi.ref("profile", event.profileId()));
        ObjectNode meta = doc.putObject("meta");
        meta.put("klaviyo_account_id", Account.ACCOUNT_ID);
        meta.put("klaviyo_webhook_id", w.id());
        meta.put("timestamp", JsonApi.time(now));
        String body = doc.toString();
        String signature = sign(w.secretKey(), body.getBytes(StandardCharsets.UTF_8));
        String timestamp = JsonApi.time(now);
        HttpRequest request = HttpRequest.newBuilder(URI.create(w.endpointUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Klaviyo-Webhook-Id", w.id())
                .header("Klaviyo-Timestamp", timestamp)
                .header("Klaviyo-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            deliveries.add(new Delivery(w.id(), w.endpointUrl(), topic, body, signature, timestamp,
                    error == null ? response.statusCode() : -1));
            return null;
        });
    }

    /** Hex HMAC-SHA256 of {@code body} keyed with {@code secret} (what a receiver recomputes). */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    void clear() {
        deliveries.clear();
    }
}
