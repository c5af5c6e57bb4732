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
 *   <li>{@link #verify} decides, over the raw bytes, whether the request really comes from the
 *       vendor (signature, timestamp window). A rejection is answered 403 and nothing is stored.</li>
 *   <li>The platform commits the raw request to its durable inbox and only then answers 2xx: the
 *       vendor's delivery is acknowledged at disk speed, before any event is read.</li>
 *   <li>Behind the answer, a processor calls {@link #normalize} to turn the body into events and
 *       stores them in one transaction with the removal of the inbox entry, skipping dedupe keys it
 *       has already stored for this installation. A {@link PermanentConnectorException} records the
 *       request in the event log as {@code malformed} (the body kept for inspection); any other
 *       exception is retried with backoff and recorded as {@code failed} after 20 attempts.</li>
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
