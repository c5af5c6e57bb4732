package dev.junction.platform.plugin;

/**
 * A failure of a platform service that plugin code calls back into during a plugin call (the
 * object sync record sink writing to the database, or refusing writes for a run that is no longer
 * this replica's). It is the platform's failure, not the plugin's: {@link PluginInvoker} passes it
 * on to its caller, also when the plugin wrapped it, and does not disable the connector.
 */
public final class PlatformServiceException extends RuntimeException {

    public PlatformServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first of these in {@code t}'s cause chain, or null. */
    static PlatformServiceException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PlatformServiceException p) {
                return p;
            }
        }
        return null;
    }
}
