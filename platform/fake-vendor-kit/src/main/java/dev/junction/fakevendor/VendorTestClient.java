package dev.junction.fakevendor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The base of the fakes' own test clients: one method per HTTP verb over {@link #send}, and the JDK
 * exchange itself. Each fake's client adds its vendor's headers and reads answers its way.
 *
 * @param <R> the client's answer type
 */
public abstract class VendorTestClient<R> {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Sends a request.
     *
     * @param method the method
     * @param path a path below the fake's base URL (or a whole URL, where the client allows it)
     * @param body the body, or null
     * @return the answer
     */
    public abstract R send(String method, String path, Object body);

    /** @param path the path @return the answer */
    public R get(String path) {
        return send("GET", path, null);
    }

    /** @param path the path @return the answer */
    public R delete(String path) {
        return send("DELETE", path, null);
    }

    /** @param path the path @param body the body @return the answer */
    public R delete(String path, Object body) {
        return send("DELETE", path, body);
    }

    /** @param path the path @param body the body @return the answer */
    public R post(String path, Object body) {
        return send("POST", path, body);
    }

    /** @param path the path @param body the body @return the answer */
    public R put(String path, Object body) {
        return send("PUT", path, body);
    }

    /** @param path the path @param body the body @return the answer */
    public R patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    /**
     * One exchange on the JDK's client.
     *
     * @param method the method
     * @param uri the whole URI
     * @param headers the request headers
     * @param body the body, or null for none
     * @param timeout the request timeout
     * @return the raw answer
     */
    protected static HttpResponse<byte[]> exchange(String method, URI uri, Map<String, String> headers, byte[] body,
            Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
