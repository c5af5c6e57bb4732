package dev.junction.spi.source;

import dev.junction.spi.Headers;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An inbound webhook request exactly as received: the raw body bytes (signatures are computed
 * over them, never over re-serialised JSON) and the headers.
 *
 * @param method     HTTP method
 * @param headers    request headers, names lower-cased
 * @param body       the raw body; the record keeps its own copy and {@link #body()} returns a new
 *                   copy each time, so neither the platform nor a plugin can change what the other sees
 * @param receivedAt when the platform received it
 * @since 1.0
 */
public record WebhookRequest(String method, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {

    public WebhookRequest {
        headers = Headers.lowerCased(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A copy of the raw body (empty, never null). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's size in bytes, without copying it. */
    public int bodyLength() {
        return body.length;
    }

    /** Equal when method, headers, body bytes and time are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookRequest w && Objects.equals(method, w.method) && headers.equals(w.headers)
                && Arrays.equals(body, w.body) && Objects.equals(receivedAt, w.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, headers, Arrays.hashCode(body), receivedAt);
    }

    /**
     * Header names only and the body's size: a webhook's Authorization header or signature and its
     * payload stay out of log lines.
     */
    @Override
    public String toString() {
        return "WebhookRequest[" + method + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes, receivedAt=" + receivedAt + "]";
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return Headers.first(headers, name);
    }
}
