package dev.junction.platform.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** SendGrid's signature test vector and sample events (see plugins/sendgrid/src/test/resources/sendgrid-webhook/SOURCE.md). */
public final class SendGridWebhookData {

    private SendGridWebhookData() {
    }

    private static Path dir() {
        return Path.of(System.getProperty("junction.test.sendgrid-webhook-dir",
                "../../plugins/sendgrid/src/test/resources/sendgrid-webhook"));
    }

    public static byte[] sampleEvents() {
        try {
            return Files.readAllBytes(dir().resolve("sample-events.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode signatureVector() {
        try {
            return Api.JSON.readTree(dir().resolve("signature-vector.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch of {@code n} distinct SendGrid events (delivered/open/click) as JSON. */
    public static String batch(int n, String idPrefix) {
        StringBuilder b = new StringBuilder("[");
        String[] types = {"delivered", "open", "click", "processed"};
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"email\":\"user").append(i).append("@example.com\",\"timestamp\":").append(1_700_000_000L + i)
                    .append(",\"event\":\"").append(types[i % types.length]).append("\",\"sg_event_id\":\"")
                    .append(idPrefix).append('-').append(i).append("\",\"sg_message_id\":\"msg-").append(i)
                    .append(".filter0001.16648.5515E0B88.0\",\"category\":[\"bench\"],\"ip\":\"168.1.1.1\"")
                    .append(",\"useragent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"}");
        }
        return b.append(']').toString();
    }
}
