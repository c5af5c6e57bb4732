package dev.junction.spi;

import java.util.Objects;

/**
 * A flavour of a connector offered at install time (for example a regional or a sandbox edition).
 * Every connector has at least the variant {@value #DEFAULT}.
 *
 * @param key         stable identifier used in install requests
 * @param name        display name
 * @param description one sentence for the catalog
 * @since 1.0
 */
public record Variant(String key, String name, String description) {

    /** The key of the variant every connector offers. */
    public static final String DEFAULT = "default";

    public Variant {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }

    /** The {@value #DEFAULT} variant. */
    public static Variant defaultVariant() {
        return new Variant(DEFAULT, "Default", "");
    }
}
