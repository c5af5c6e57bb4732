package dev.junction.spi;

import org.pf4j.ExtensionPoint;

/**
 * One vendor connector: the single {@code @Extension} every plugin declares.
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>The platform loads the plugin and instantiates this class once (no-argument constructor).</li>
 *   <li>{@link #descriptor()} is called once at load time; the result is cached and shown in the
 *       catalog. It must not do I/O.</li>
 *   <li>When a tenant installs the connector, the platform validates the config against
 *       {@link ConnectorDescriptor#configSchema()}, then calls {@link #check(ConnectorContext)}
 *       (unless the caller skips it). Installations are created only when the check succeeds.</li>
 *   <li>Capabilities the descriptor declares are found as separate extensions of the same plugin
 *       (for example an {@code @Extension} implementing {@link dev.junction.spi.source.EventSource}).</li>
 * </ol>
 *
 * <h2>Threads and errors</h2>
 * Calls may come from several threads at once, for different installations: keep no per-installation
 * state in fields (use {@link ConnectorContext#state()}). Every call is time-boxed by the platform.
 * {@link #check} reports bad credentials as a failed {@link CheckResult}, not as an exception.
 *
 * @since 1.0
 */
public interface Connector extends ExtensionPoint {

    /** What this connector is; see {@link ConnectorDescriptor#builder}. Called once, no I/O. */
    ConnectorDescriptor descriptor();

    /**
     * Verifies that the installation's config works: credentials valid, permissions sufficient,
     * vendor reachable. Must not change anything at the vendor.
     *
     * @return {@link CheckResult#ok()} or a failure with a user-readable reason and a machine code
     * @throws RetriableConnectorException when the vendor could not be reached (the user may retry)
     */
    CheckResult check(ConnectorContext context) throws ConnectorException;
}
