package dev.junction.spi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A response from {@link ConnectorHttp}.
 *
 * @param status  HTTP status code
 * @param headers response headers, names lower-cased
 * @param body    response body bytes (empty, never null)
 * @param attempts how many attempts the platform made, retries included
 * @since 1.0
 */
public record HttpResult(int status, Map<String, List<String>> headers, byte[] body, int attempts) {

    /** Status and sizes: a vendor's response may echo a credential or personal data. */
    @Override
    public String toString() {
        return "HttpResult[" + status + ", headers=" + headers.keySet() + ", body=" + (body == null ? 0 : body.length)
                + " bytes, attempts=" + attempts + "]";
    }


    public HttpResult {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        headers = java.util.Collections.unmodifiableMap(lower);
        body = body == null ? new byte[0] : body;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
}
