package dev.junction.spi.destination;

import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;

import java.util.List;

/**
 * Delivers a tenant's events (identify, track, page) to the vendor.
 *
 * <p>The platform routes every ingested event to each enabled {@code server_side} installation of a
 * connector with this capability, keeps it in a durable outbox, and calls {@link #deliver} with up
 * to {@link #maxBatchSize()} pending events of one installation, oldest first. Events of one user
 * are never delivered concurrently or out of order. Delivery is at least once: after a crash or a
 * retry the same event may come again, so make deliveries idempotent (an upsert, not an increment).
 *
 * <p>Return one {@link DeliveryOutcome} per event, in any order. Throw a
 * {@link dev.junction.spi.RetriableConnectorException} when the vendor is unavailable or rate
 * limits: the whole batch is retried later with backoff (after its {@code retryAfter} when given,
 * without counting an attempt). Throw a {@link dev.junction.spi.PermanentConnectorException} when the
 * vendor refuses the whole batch for good; prefer a {@link DeliveryOutcome#rejected rejected}
 * outcome per event when you can tell which events are at fault. Rejected events go to the
 * dead-letter state, from which an operator replays them once the cause is fixed.
 *
 * @since 1.0
 */
public interface EventDestination extends ConnectorCapability {

    /** How many events one {@link #deliver} call may take (default 1; the platform caps it at 1,000). */
    default int maxBatchSize() {
        return 1;
    }

    /**
     * Delivers a batch.
     *
     * @param events one to {@link #maxBatchSize()} events of this installation, oldest first; never
     *               null, never empty, no null element
     * @return one outcome per event
     */
    List<DeliveryOutcome> deliver(ConnectorContext context, List<DestinationEvent> events) throws ConnectorException;
}
