package dev.junction.plugins.sendgrid;

import dev.junction.spi.destination.DeliveryOutcome;
import dev.junction.spi.destination.DestinationEvent;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of each event of one {@code deliver} call, by event instance: an id sent twice in one
 * batch (at-least-once delivery) still gets one outcome per event.
 */
final class DeliveryOutcomes {

    private final Map<DestinationEvent, DeliveryOutcome> byEvent = new IdentityHashMap<>();

    void delivered(DestinationEvent event, int httpStatus) {
        byEvent.put(event, DeliveryOutcome.delivered(event.id(), httpStatus));
    }

    void filtered(DestinationEvent event, String reason) {
        byEvent.put(event, DeliveryOutcome.filtered(event.id(), reason));
    }

    void skipped(DestinationEvent event, String reason) {
        byEvent.put(event, DeliveryOutcome.skipped(event.id(), reason));
    }

    void rejected(DestinationEvent event, String reason, Integer httpStatus) {
        byEvent.put(event, DeliveryOutcome.rejected(event.id(), reason, httpStatus));
    }

    /** One outcome per event, in the order of {@code events}. */
    List<DeliveryOutcome> inOrderOf(List<DestinationEvent> events) {
        return events.stream().map(e -> byEvent.getOrDefault(e, DeliveryOutcome.rejected(e.id(),
                "The SendGrid connector reached no outcome for this event (a defect); replay it.", null))).toList();
    }
}
