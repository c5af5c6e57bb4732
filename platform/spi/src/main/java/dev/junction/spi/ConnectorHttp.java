package dev.junction.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The platform's HTTP client for a connector, scoped to one installation.
 *
 * <ul>
 *   <li>Only hosts in {@link ConnectorDescriptor#allowedHosts()} (or an operator's platform-wide
 *       override) are allowed; anything else fails with {@link PermanentConnectorException}
 *       {@code host_not_allowed}. An entry {@code *.example.com} allows every host below
 *       {@code example.com} (not {@code example.com} itself); vendors that hand out pre-signed
 *       download URLs on a storage service declare that service's domain this way.</li>
 *   <li>Requests are paced to {@link ConnectorDescriptor#requestsPerSecond()} per installation.</li>
 *   <li>429: waits as the response says ({@code Retry-After} or {@code X-RateLimit-Reset}) and
 *       retries, without counting it as a failed attempt, up to {@link HttpCall#maxWait()}.</li>
 *   <li>5xx, timeouts and connection errors: retried with exponential backoff and jitter when the
 *       call is {@link HttpCall#idempotent() idempotent}, up to {@link HttpCall#maxAttempts()}.</li>
 *   <li>Every attempt is recorded in the event log (method, URL, status, latency, bodies truncated,
 *       values of {@link HttpCall#secrets()} and credentials masked).</li>
 * </ul>
 * Other statuses are returned as they are: the connector decides what a 400 or 404 means.
 *
 * @since 1.0
 */
public interface ConnectorHttp {

    /**
     * Sends the call, retrying as described above, and returns the whole body in memory.
     *
     * @return the final response (any status other than exhausted 429/5xx)
     * @throws RetriableConnectorException when retries were exhausted or the vendor stayed unreachable
     * @throws PermanentConnectorException when the host is not allowed
     */
    HttpResult send(HttpCall call) throws ConnectorException;

    /**
     * Sends the call like {@link #send} and hands the final response's body to {@code reader} as a
     * stream, for bodies too large to hold in memory (an export of millions of records).
     *
     * <ul>
     *   <li>Hosts, pacing, 429 and 5xx handling are those of {@link #send}. Retries happen only
     *       before the body is handed over: {@code reader} is called at most once, on the caller's
     *       thread, for any status {@link #send} would return (check {@link HttpResult#status()}).</li>
     *   <li>{@link HttpCall#timeout()} bounds the wait for the response head and then every wait
     *       for more body bytes; a stalled download fails as below. The plugin call's time limit
     *       also ends the download in time, with a retriable failure.</li>
     *   <li>The body is bytes as sent, never decompressed. The stream is closed when
     *       {@code reader} returns; what it did not read is discarded.</li>
     *   <li>The call is recorded in the event log like any other, with the number of body bytes
     *       read instead of the body.</li>
     * </ul>
     * The default implementation reads the whole body with {@link #send} first; the platform's
     * client streams it.
     *
     * @param call   the request (typically a GET)
     * @param reader reads the body; its result is returned
     * @param <T>    what {@code reader} makes of the body
     * @return what {@code reader} returned
     * @throws RetriableConnectorException when retries were exhausted, the vendor stayed
     *         unreachable, or reading the body failed (broken connection, stalled, out of time);
     *         the download may be started again from the beginning
     * @throws PermanentConnectorException when the host is not allowed
     * @throws ConnectorException whatever {@code reader} throws
     * @since 1.0
     */
    default <T> T stream(HttpCall call, BodyReader<T> reader) throws ConnectorException {
        HttpResult result = send(call);
        try (InputStream body = new ByteArrayInputStream(result.body())) {
            return reader.read(new HttpResult(result.status(), result.headers(), null, result.attempts()), body);
        } catch (IOException e) {
            throw new RetriableConnectorException("download_failed", "Reading the answer of " + call.uri().getHost()
                    + " failed", null, e.toString(), e);
        }
    }

    /**
     * Reads a streamed response body for {@link #stream}.
     *
     * @param <T> what the reader makes of the body
     * @since 1.0
     */
    @FunctionalInterface
    interface BodyReader<T> {

        /**
         * Reads the body.
         *
         * @param head the response without its body: status, lower-cased headers, attempts
         *             ({@link HttpResult#body()} is empty)
         * @param body the body as it arrives; reading may block, and throws {@link IOException}
         *             when the download breaks off
         * @return anything; {@link #stream} returns it
         * @throws IOException when reading {@code body} failed (let it through: the client turns
         *         it into a {@link RetriableConnectorException})
         * @throws ConnectorException to end the operation with that failure
         */
        T read(HttpResult head, InputStream body) throws IOException, ConnectorException;
    }
}
