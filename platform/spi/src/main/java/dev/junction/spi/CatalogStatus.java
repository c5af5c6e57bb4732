package dev.junction.spi;

import java.util.Locale;

/**
 * How ready a connector is, as shown in the catalog. The platform adds {@code disabled} itself for a
 * connector it had to switch off.
 *
 * @since 1.0
 */
public enum CatalogStatus {
    /** Complete and supported. */
    AVAILABLE,
    /** Works, but may change or have gaps the description names. */
    PREVIEW,
    /** Listed so users can see it is coming; installs, checks nothing real and syncs nothing. */
    PLACEHOLDER;

    /** The name used in the API and JSON, e.g. {@code available}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
