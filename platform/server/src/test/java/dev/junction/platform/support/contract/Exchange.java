package dev.junction.platform.support.contract;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request and its response as the test client saw them on the wire.
 *
 * @param headers         request headers (names as sent)
 * @param responseHeaders response headers (names lower-case, as the JDK client gives them)
 * @param responseBody    null when the body was not read (a stream)
 */
public record Exchange(String method, URI uri, Map<String, String> headers, String contentType, byte[] body,
                       int status, Map<String, List<String>> responseHeaders, byte[] responseBody) {

    public String requestHeader(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    public Optional<String> responseHeader(String name) {
        return responseHeaders.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }

    /** The response media type without parameters, lower-case; empty when none. */
    public String responseMediaType() {
        return responseHeader("content-type").map(Exchange::mediaType).orElse("");
    }

    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** {@code GET /v1/admin/tenants?limit=2 -> 200}, for messages. */
    public String describe() {
        return method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " -> " + status;
    }

    /** The same exchange with another response body (to show that a broken answer is caught). */
    public Exchange withResponseBody(byte[] tampered) {
        return new Exchange(method, uri, headers, contentType, body, status, responseHeaders, tampered);
    }

    /** The same exchange with another status. */
    public Exchange withStatus(int otherStatus) {
        return new Exchange(method, uri, headers, contentType, body, otherStatus, responseHeaders, responseBody);
    }
}
