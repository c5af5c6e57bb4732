package dev.junction.spi;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP request for {@link ConnectorHttp}. Build with {@link #get(URI)}, {@link #put(URI)} and
 * friends:
 * <pre>{@code
 * HttpResult r = ctx.http().send(HttpCall.put(base.resolve("/v3/marketing/contacts"))
 *         .bearer(apiKey).json(ctx.json().write(body)).build());
 * }</pre>
 *
 * @param method      HTTP method
 * @param uri         absolute URI
 * @param headers     request headers (names as given)
 * @param body        request body, or null
 * @param timeout     per-attempt timeout
 * @param idempotent  whether 5xx/timeouts may be retried (true for GET, PUT, DELETE by default)
 * @param maxAttempts attempts for 5xx and network failures (1 = no retry)
 * @param maxWait     the longest total time spent waiting on 429s and backoff before giving up
 * @param secrets     values to mask in the event log besides the Authorization header
 * @since 1.0
 */
public record HttpCall(String method, URI uri, Map<String, List<String>> headers, byte[] body,
                       Duration timeout, boolean idempotent, int maxAttempts, Duration maxWait,
                       Set<String> secrets) {

    public HttpCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxWait, "maxWait");
        secrets = Set.copyOf(secrets);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * Method, URI and header names only: header values (the Authorization header, API keys in
     * vendor headers) and the body may hold credentials, so they never reach a log line through here.
     */
    @Override
    public String toString() {
        return "HttpCall[" + method + " " + uri + ", headers=" + headers.keySet() + ", body="
                + (body == null ? "none" : body.length + " bytes") + ", secrets=" + secrets.size() + " masked]";
    }

    /** The body as UTF-8 text, or null. */
    public String bodyText() {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    public static Builder get(URI uri) { return new Builder("GET", uri); }

    public static Builder post(URI uri) { return new Builder("POST", uri); }

    public static Builder put(URI uri) { return new Builder("PUT", uri); }

    public static Builder patch(URI uri) { return new Builder("PATCH", uri); }

    public static Builder delete(URI uri) { return new Builder("DELETE", uri); }

    /** Builds an {@link HttpCall}. */
    public static final class Builder {
        private final String method;
        private final URI uri;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final java.util.Set<String> secrets = new java.util.LinkedHashSet<>();
        private byte[] body;
        private Duration timeout = Duration.ofSeconds(30);
        private boolean idempotent;
        private int maxAttempts = 5;
        private Duration maxWait = Duration.ofMinutes(5);

        private Builder(String method, URI uri) {
            this.method = method;
            this.uri = uri;
            this.idempotent = !method.equals("POST") && !method.equals("PATCH");
        }

        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** {@code Authorization: Bearer <token>}; the token is masked in the event log. */
        public Builder bearer(String token) {
            secrets.add(token);
            return header("Authorization", "Bearer " + token);
        }

        /** A JSON body with {@code Content-Type: application/json}. */
        public Builder json(byte[] json) {
            this.body = json;
            return header("Content-Type", "application/json");
        }

        public Builder body(byte[] body, String contentType) {
            this.body = body;
            return header("Content-Type", contentType);
        }

        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

        /** Overrides the method's default (POST and PATCH are not idempotent unless you say so). */
        public Builder idempotent(boolean idempotent) { this.idempotent = idempotent; return this; }

        public Builder maxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; return this; }

        public Builder maxWait(Duration maxWait) { this.maxWait = maxWait; return this; }

        /** Another value to mask wherever this call is logged. */
        public Builder secret(String value) { secrets.add(value); return this; }

        public HttpCall build() {
            return new HttpCall(method, uri, headers, body, timeout, idempotent, maxAttempts, maxWait, secrets);
        }
    }
}
