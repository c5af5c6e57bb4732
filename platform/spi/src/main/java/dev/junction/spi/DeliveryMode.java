package dev.junction.spi;

import java.util.Locale;

/**
 * How events reach a destination. Only {@link #SERVER_SIDE} exists in SPI 1.0; a device mode (the
 * vendor's SDK on the user's device) arrives as a new constant in a minor version once the platform
 * implements it.
 *
 * @since 1.0
 */
public enum DeliveryMode {
    /** Junction's servers call the vendor's API. */
    SERVER_SIDE;

    /** The name used in the API and JSON, e.g. {@code server_side}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
