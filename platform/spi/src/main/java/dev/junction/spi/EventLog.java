package dev.junction.spi;

import java.util.Map;

/**
 * The installation's live event log, which tenants inspect and stream. Use it for what a tenant
 * should see about their installation (a sync step, a skipped record and why); outbound HTTP calls
 * are recorded automatically by {@link ConnectorHttp}. Never put secrets in a message or field.
 *
 * @since 1.0
 */
public interface EventLog {

    /** How an entry should read. */
    enum Level { INFO, WARNING, ERROR }

    /**
     * Records an entry.
     *
     * @param level   severity
     * @param name    short name of what happened, e.g. {@code list created}
     * @param message one sentence for the tenant
     * @param fields  JSON-compatible details
     */
    void record(Level level, String name, String message, Map<String, Object> fields);

    default void info(String name, String message) {
        record(Level.INFO, name, message, Map.of());
    }

    default void warning(String name, String message) {
        record(Level.WARNING, name, message, Map.of());
    }

    default void error(String name, String message) {
        record(Level.ERROR, name, message, Map.of());
    }
}
