package dev.junction.spi.destination;

import java.util.Locale;

/**
 * The kinds of event the platform delivers to an {@link EventDestination}. Other kinds a source may
 * accept (Segment's {@code group}, {@code alias}, {@code screen}) are not routed to destinations in
 * SPI 1.0; a later minor version may add constants, so a {@code switch} over this type needs a
 * {@code default} branch.
 *
 * @since 1.0
 */
public enum EventType {
    /** Who the user is: {@link DestinationEvent#traits()} holds what this event says about them. */
    IDENTIFY,
    /** Something the user did: {@link DestinationEvent#event()} names it. */
    TRACK,
    /** The user viewed a page: {@link DestinationEvent#event()} is the page name, or null. */
    PAGE;

    /** The name used in the API and JSON, e.g. {@code identify}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
