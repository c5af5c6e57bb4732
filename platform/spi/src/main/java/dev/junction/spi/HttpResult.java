package dev.junction.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A response from {@link ConnectorHttp}.
 *
 * @param status  HTTP status code
 * @param headers response headers, names lower-cased
 * @param body    response body bytes (empty, never null); the record keeps its own copy and
 *                {@link #body()} returns a new copy each time ({@link #bodyText()} copies nothing)
 * @param attempts how many attempts the platform made, retries included
 * @since 1.0
 */
public record HttpResult(int status, Map<String, List<String>> headers, byte[] body, int attempts) {

    /** Status and sizes: a vendor's response may echo a credential or personal data. */
    @Override
    public String toString() {
        return "HttpResult[" + status + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes, attempts=" + attempts + "]";
    }

    public HttpResult {
        headers = Headers.lowerCased(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A copy of the body (empty, never null). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's size in bytes, without copying it. */
    public int bodyLength() {
        return body.length;
    }

    /** Equal when status, headers, body bytes and attempts are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResult r && status == r.status && attempts == r.attempts && headers.equals(r.headers)
                && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), attempts);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
        return Headers.first(headers, name);
    }
}
