package dev.junction.spi;

import java.util.Locale;

/**
 * How events reach a destination.
 *
 * @since 1.0
 */
public enum DeliveryMode {
    /** Junction's servers call the vendor's API. */
    SERVER_SIDE,
    /** The vendor's own SDK runs on the user's device; Junction only configures it. */
    DEVICE_MODE;

    /** The name used in the API and JSON, e.g. {@code server_side}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
