package dev.junction.spi;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * HttpResult r = ctx.http().send(HttpCall.put(HttpCall.endpoint(base, "v3/marketing/contacts"))
 *         .bearer(apiKey).json(ctx.json().write(body)).build());
 * }</pre>
 * Build URIs with {@link #endpoint(URI, String)}: {@code base.resolve("/v1/me")} drops a base path
 * such as {@code https://proxy.example/api}.
 *
 * @param method      HTTP method
 * @param uri         absolute URI
 * @param headers     request headers (names as given)
 * @param body        request body, or null; the record keeps its own copy and {@link #body()} returns
 *                    a new copy each time
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
        body = body == null ? null : body.clone();
    }

    /** A copy of the body, or null when the call has none. */
    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** Equal when every component is, the body compared by its bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpCall c && method.equals(c.method) && uri.equals(c.uri) && headers.equals(c.headers)
                && Arrays.equals(body, c.body) && timeout.equals(c.timeout) && idempotent == c.idempotent
                && maxAttempts == c.maxAttempts && maxWait.equals(c.maxWait) && secrets.equals(c.secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, uri, headers, Arrays.hashCode(body), timeout, idempotent, maxAttempts, maxWait, secrets);
    }

    /**
     * {@code path} below {@code base}, keeping the base's own path: {@code endpoint(https://x.example/api, "v1/me")}
     * is {@code https://x.example/api/v1/me}, where {@code base.resolve("/v1/me")} would give
     * {@code https://x.example/v1/me}. Slashes between the two are normalised to one; {@code path}
     * may carry a query ({@code "v1/lists?page=2"}) and must already be encoded.
     *
     * @param base an absolute URI without query or fragment, e.g. the vendor's API root or an
     *             operator's {@code api_url}
     * @param path the endpoint's path relative to {@code base}
     * @throws IllegalArgumentException when {@code base} is not absolute or has a query or fragment,
     *         or the result is not a valid URI
     * @since 1.0
     */
    public static URI endpoint(URI base, String path) {
        Objects.requireNonNull(path, "path");
        if (!base.isAbsolute() || base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("base must be an absolute URI without query or fragment: " + base);
        }
        String root = base.toString();
        int end = root.length();
        while (end > 0 && root.charAt(end - 1) == '/') {
            end--;
        }
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        return URI.create(root.substring(0, end) + "/" + path.substring(start));
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
