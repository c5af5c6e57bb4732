package dev.junction.platform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.support.contract.ContractRecorder;
import dev.junction.platform.support.contract.Exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP client for tests, on the JDK client so that what is tested is the wire: status,
 * headers and body bytes exactly as a user's curl sees them.
 *
 * <p>Every exchange is checked against ui-contract/openapi.yaml ({@link ContractRecorder}); a
 * disagreement fails the test. A test that calls outside the contract on purpose (an unknown
 * path, to see the 404) says so with {@link #outsideContract(String)}.
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String token;
    private final Map<String, String> headers;
    /** Why this client's exchanges are not checked against the contract; null: they are. */
    private final String outsideContract;

    public Api(URI base) {
        this(base, null, Map.of(), null);
    }

    private Api(URI base, String token, Map<String, String> headers, String outsideContract) {
        this.base = base;
        this.token = token;
        this.headers = headers;
        this.outsideContract = outsideContract;
    }

    /** The same client, sending this bearer token. */
    public Api as(String bearerToken) {
        return new Api(base, bearerToken, headers, outsideContract);
    }

    /** The same client, with one more header on every request. */
    public Api with(String header, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(header, value);
        return new Api(base, token, h, outsideContract);
    }

    /**
     * The same client, not checked against the contract: only for a test that calls what the
     * contract does not have on purpose (an unknown path, an unsupported method). Listed in
     * target/contract-coverage.txt with the reason.
     */
    public Api outsideContract(String reason) {
        return new Api(base, token, headers, java.util.Objects.requireNonNull(reason));
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, Object json) {
        return send("POST", path, "application/json", body(json));
    }

    public Response put(String path, Object json) {
        return send("PUT", path, "application/json", body(json));
    }

    public Response patch(String path, Object json) {
        return send("PATCH", path, "application/json", body(json));
    }

    /** Sends raw bytes: malformed bodies, other media types. */
    public Response send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        try {
            HttpRequest request = b.build();
            HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> sent = new LinkedHashMap<>();
            request.headers().map().forEach((name, values) -> sent.put(name, String.join(",", values)));
            Exchange x = new Exchange(method, request.uri(), sent, contentType, body, r.statusCode(), r.headers().map(), r.body());
            if (outsideContract == null) {
                ContractRecorder.record(x);
            } else {
                ContractRecorder.outside(x, outsideContract);
            }
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] body(Object json) {
        if (json == null) {
            return null;
        }
        if (json instanceof String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response as received. */
    public record Response(int status, java.net.http.HttpHeaders headers, byte[] bytes) {

        public String body() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("Response is not JSON (" + status + "): " + body(), e);
            }
        }

        public String contentType() {
            return headers.firstValue("content-type").orElse("");
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }
}
