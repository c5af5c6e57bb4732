package dev.junction.spi.destination;

/**
 * What happened to one event in {@link EventDestination#deliver}.
 *
 * @param eventId    the event's id
 * @param status     the outcome
 * @param reason     why it was filtered, skipped or rejected; null when delivered
 * @param httpStatus the vendor's HTTP status for the call that carried it, or null
 * @since 1.0
 */
public record DeliveryOutcome(String eventId, Status status, String reason, Integer httpStatus) {

    /** Outcome kinds. */
    public enum Status {
        /** The vendor accepted it. */
        DELIVERED,
        /** Not for this destination (event type ignored, no consent). */
        FILTERED,
        /** Could not be delivered for lack of data (no e-mail known). */
        SKIPPED,
        /** The vendor refused it for good (dead letter). */
        REJECTED
    }

    public static DeliveryOutcome delivered(String eventId, int httpStatus) {
        return new DeliveryOutcome(eventId, Status.DELIVERED, null, httpStatus);
    }

    public static DeliveryOutcome filtered(String eventId, String reason) {
        return new DeliveryOutcome(eventId, Status.FILTERED, reason, null);
    }

    public static DeliveryOutcome skipped(String eventId, String reason) {
        return new DeliveryOutcome(eventId, Status.SKIPPED, reason, null);
    }

    public static DeliveryOutcome rejected(String eventId, String reason, Integer httpStatus) {
        return new DeliveryOutcome(eventId, Status.REJECTED, reason, httpStatus);
    }
}
