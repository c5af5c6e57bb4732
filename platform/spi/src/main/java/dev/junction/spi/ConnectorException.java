package dev.junction.spi;

/**
 * A failure a connector reports on purpose. It carries a message safe to show to the tenant
 * ({@link #getMessage()}, never containing secrets) and optionally an internal detail for operators.
 * Any other exception escaping a plugin is treated as a defect of the plugin and disables it.
 *
 * <p>Throw one of the two kinds: {@link RetriableConnectorException} (try again later) or
 * {@link PermanentConnectorException} (retrying the same input cannot help).
 *
 * @since 1.0
 */
public abstract sealed class ConnectorException extends Exception
        permits RetriableConnectorException, PermanentConnectorException {

    private final String code;
    private final String internalDetail;

    protected ConnectorException(String code, String userMessage, String internalDetail, Throwable cause) {
        super(userMessage, cause);
        this.code = code;
        this.internalDetail = internalDetail;
    }

    /** Machine-readable reason, e.g. {@code rate_limited}, {@code invalid_credentials}. */
    public String code() {
        return code;
    }

    /** Detail for operators' logs (never secrets), or null. */
    public String internalDetail() {
        return internalDetail;
    }
}
