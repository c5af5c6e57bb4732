package dev.junction.plugins.sendgrid;

import com.sendgrid.helpers.eventwebhook.EventWebhook;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.source.EventSource;
import dev.junction.spi.source.SourceEvent;
import dev.junction.spi.source.WebhookRequest;
import dev.junction.spi.source.WebhookVerification;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.pf4j.Extension;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SendGrid's Event Webhook. With a verification key configured, requests must carry a valid
 * signature (checked by sendgrid-java's {@link EventWebhook} over the raw body) and a timestamp
 * within the configured tolerance. Each event becomes {@code [Sendgrid] <event>}, its user the
 * {@code amp_user_id} custom argument or else the lower-cased e-mail, deduplicated by
 * {@code sg_event_id}, with every original field kept.
 */
@Extension
public final class SendGridEventSource implements EventSource {

    static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
    static final long DEFAULT_TOLERANCE_SECONDS = 600;

    static {
        // EventWebhook asks for the provider by name ("BC"); sendgrid-java does not register it.
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    @Override
    public WebhookVerification verify(ConnectorContext context, WebhookRequest request) {
        String key = context.config().string("webhook_verification_key").map(String::strip).orElse("");
        if (key.isEmpty()) {
            return WebhookVerification.accept(); // unsigned webhook: the secret URL (and basic auth) authenticate
        }
        String signature = request.header(SIGNATURE_HEADER).orElse(null);
        String timestamp = request.header(TIMESTAMP_HEADER).orElse(null);
        if (signature == null || timestamp == null) {
            return WebhookVerification.reject("missing " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return WebhookVerification.reject("the timestamp header is not a number");
        }
        long tolerance = context.config().number("webhook_timestamp_tolerance_seconds").map(Number::longValue)
                .orElse(DEFAULT_TOLERANCE_SECONDS);
        long now = context.clock().instant().getEpochSecond();
        // compared as numbers: an absurd header must be a rejection, never an exception
        long age = Math.abs(now - Math.max(Math.min(seconds, now + 10 * tolerance), now - 10 * tolerance));
        if (age > tolerance) {
            return WebhookVerification.reject("the timestamp is more than " + tolerance
                    + " s away from now (replayed, or clock skew)");
        }
        try {
            EventWebhook webhook = new EventWebhook();
            ECPublicKey publicKey = webhook.ConvertPublicKeyToECDSA(key);
            if (webhook.VerifySignature(publicKey, request.body(), signature.strip(), timestamp.strip())) {
                return WebhookVerification.accept();
            }
            return WebhookVerification.reject("the signature does not match the body and timestamp");
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            return WebhookVerification.reject("the signature could not be checked: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public List<SourceEvent> normalize(ConnectorContext context, WebhookRequest request) throws PermanentConnectorException {
        Object parsed;
        try {
            parsed = context.json().parse(request.body());
        } catch (IllegalArgumentException e) {
            throw new PermanentConnectorException("malformed", "The body is not valid JSON");
        }
        if (!(parsed instanceof List<?> items)) {
            throw new PermanentConnectorException("malformed", "The body must be a JSON array of events");
        }
        List<SourceEvent> events = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> raw)) {
                throw new PermanentConnectorException("malformed", "Element " + i + " of the array is not an event object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) raw;
            events.add(normalize(context, event, request.receivedAt()));
        }
        return events;
    }

    private static SourceEvent normalize(ConnectorContext context, Map<String, Object> e, Instant receivedAt) {
        String type = e.get("event") instanceof String s && !s.isBlank() ? s : "unknown";
        return new SourceEvent(dedupeKey(context, e), "[Sendgrid] " + type, userId(e), timestamp(e, receivedAt),
                "sendgrid", e);
    }

    /** SendGrid's {@code sg_event_id}; an event without one is keyed by a hash of its content. */
    private static String dedupeKey(ConnectorContext context, Map<String, Object> e) {
        if (e.get("sg_event_id") instanceof String id && !id.isBlank()) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(context.json().write(e));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The {@code amp_user_id} custom argument (sent top-level) when present, else the lower-cased e-mail. */
    private static String userId(Map<String, Object> e) {
        Object amp = e.get("amp_user_id");
        if (amp != null && !String.valueOf(amp).isBlank()) {
            return String.valueOf(amp);
        }
        if (e.get("unique_args") instanceof Map<?, ?> args && args.get("amp_user_id") != null) {
            return String.valueOf(args.get("amp_user_id"));
        }
        return e.get("email") instanceof String email ? email.strip().toLowerCase(Locale.ROOT) : null;
    }

    /** Earliest and latest instants a timestamp may name (years 1970 to 9999); others are not believed. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    /**
     * SendGrid sends Unix seconds; a value too large for seconds is taken as milliseconds. A value
     * outside years 1970-9999 (or not a number) is not a time: the receipt time stands in.
     */
    private static Instant timestamp(Map<String, Object> e, Instant fallback) {
        if (e.get("timestamp") instanceof Number n) {
            double v = n.doubleValue();
            double seconds = v > 100_000_000_000d ? v / 1000 : v;
            if (seconds >= 0 && seconds <= MAX_EPOCH_SECOND) {
                return Instant.ofEpochSecond((long) seconds);
            }
        }
        return fallback;
    }

}
