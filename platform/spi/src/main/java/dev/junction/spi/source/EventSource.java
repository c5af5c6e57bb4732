package dev.junction.spi.source;

import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.PermanentConnectorException;

import java.util.List;

/**
 * Receives a vendor's webhooks. The platform owns the HTTP endpoint (one secret URL per
 * installation), body limits, durability, deduplication and the event log; the connector says
 * whether a request is authentic and what events it contains.
 *
 * <h2>Per request</h2>
 * <ol>
 *   <li>{@link #verify} decides whether the request really comes from the vendor (signature,
 *       timestamp window). A rejection is answered 403 and nothing is stored.</li>
 *   <li>{@link #normalize} turns the body into events; a {@link PermanentConnectorException} is
 *       answered 400 (the vendor should not retry).</li>
 *   <li>The platform stores the events in one transaction, skipping dedupe keys it has already
 *       stored for this installation, and only then answers 2xx.</li>
 * </ol>
 * Both methods must be fast and do no I/O; they may run concurrently.
 *
 * @since 1.0
 */
public interface EventSource extends ConnectorCapability {

    /** Checks authenticity; uses {@link ConnectorContext#clock()} for time windows. */
    WebhookVerification verify(ConnectorContext context, WebhookRequest request);

    /**
     * The events in a verified request, in the order the vendor sent them.
     *
     * @throws PermanentConnectorException when the body is not what the vendor sends (malformed)
     */
    List<SourceEvent> normalize(ConnectorContext context, WebhookRequest request) throws PermanentConnectorException;
}
