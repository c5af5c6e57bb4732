package dev.junction.spi;

import java.time.Duration;

/**
 * A transient failure: the vendor was unreachable, answered 5xx, timed out or rate-limited us.
 * The platform retries the whole operation later, after {@link #retryAfter()} when given.
 *
 * @since 1.0
 */
public final class RetriableConnectorException extends ConnectorException {

    private final Duration retryAfter;

    public RetriableConnectorException(String code, String userMessage) {
        this(code, userMessage, null, null, null);
    }

    public RetriableConnectorException(String code, String userMessage, Duration retryAfter,
                                       String internalDetail, Throwable cause) {
        super(code, userMessage, internalDetail, cause);
        this.retryAfter = retryAfter;
    }

    /** How long to wait before retrying, when the vendor said so; otherwise null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
