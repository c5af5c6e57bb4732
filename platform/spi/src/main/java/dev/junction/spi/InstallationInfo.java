package dev.junction.spi;

import java.util.Objects;

/**
 * Which installation a call is for. The id is opaque and stable; the tenant is deliberately not
 * exposed beyond a display name, as a connector has no business with tenancy.
 *
 * @param id           the installation id
 * @param name         the name the tenant gave it
 * @param variant      the chosen {@link Variant} key
 * @param deliveryMode the chosen delivery mode
 * @since 1.0
 */
public record InstallationInfo(String id, String name, String variant, DeliveryMode deliveryMode) {
    public InstallationInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(deliveryMode, "deliveryMode");
    }
}
