package dev.junction.spi;

/**
 * A failure retrying cannot fix: bad credentials, missing permissions, input the vendor rejects,
 * a vendor limit reached. The platform records it and does not retry the same input.
 *
 * @since 1.0
 */
public final class PermanentConnectorException extends ConnectorException {

    public PermanentConnectorException(String code, String userMessage) {
        this(code, userMessage, null, null);
    }

    public PermanentConnectorException(String code, String userMessage, String internalDetail, Throwable cause) {
        super(code, userMessage, internalDetail, cause);
    }
}
