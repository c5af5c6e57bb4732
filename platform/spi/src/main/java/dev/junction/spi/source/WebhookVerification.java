package dev.junction.spi.source;

/**
 * The verdict of {@link EventSource#verify}.
 *
 * @param accepted whether the request is authentic
 * @param reason   why it was rejected (shown in the event log, never to the sender); null when accepted
 * @since 1.0
 */
public record WebhookVerification(boolean accepted, String reason) {

    public static WebhookVerification accept() {
        return new WebhookVerification(true, null);
    }

    public static WebhookVerification reject(String reason) {
        return new WebhookVerification(false, reason);
    }
}
