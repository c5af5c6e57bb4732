package dev.junction.spi;

import java.time.Clock;
import java.util.Optional;

/**
 * Everything the platform gives a connector for one call, scoped to one installation. A new
 * context may be passed on every call; do not keep it beyond the call.
 *
 * @since 1.0
 */
public interface ConnectorContext {

    /** The installation this call is for. */
    InstallationInfo installation();

    /** The installation's config, validated against the schema, with secret fields resolved. */
    ConnectorConfig config();

    /**
     * An HTTP client for the vendor's API. It keeps to the descriptor's request rate, retries
     * rate-limited and transient failures as the call allows, refuses hosts outside
     * {@link ConnectorDescriptor#allowedHosts()}, and records every call in the event log with
     * secrets masked.
     */
    ConnectorHttp http();

    /** The installation's live event log: what you write here the tenant sees. */
    EventLog log();

    /** The clock to use for every "now" (tests move it). */
    Clock clock();

    /** Durable key-value state of this installation (for example a vendor list id). */
    StateStore state();

    /** JSON parsing and writing on plain Java types. */
    Json json();

    /**
     * A platform-wide setting the operator configured for this connector, never a tenant's: for
     * connector {@code sendgrid} and name {@code api_url}, the environment variable
     * {@code JUNCTION_SENDGRID_API_URL}. Used for test servers and egress proxies.
     */
    Optional<String> platformSetting(String name);
}
