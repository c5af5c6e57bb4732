package dev.junction.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a connector is, as the catalog shows it. Build one with {@link #builder(String, String)}.
 * Its capabilities are not part of it: the platform derives them from the plugin's capability
 * extensions (see {@link ConnectorCapability}).
 *
 * <h2>Config schema</h2>
 * {@link #configSchema()} is a JSON Schema (draft 2020-12) of the installation config, an object.
 * The platform validates every install and update against it and renders install forms from it.
 * Mark each secret field with {@code "writeOnly": true} and {@code "x-secret": true}: the platform
 * then stores it in the encrypted secret store, never in the installation row, never returns it
 * (responses show {@code {"secret":"set"}}) and hands the plain value to the connector only through
 * {@link ConnectorContext#config()}.
 *
 * @param slug           stable identifier, {@code ^[a-z][a-z0-9-]{1,39}$}, e.g. {@code sendgrid}; no
 *                       underscore, so that {@code JUNCTION_<SLUG>_<SETTING>} environment variables map to it
 * @param name           display name
 * @param category       catalog category, e.g. "Marketing Automation"
 * @param description    what the connector does, and plainly what it does not do yet
 * @param variants       at least {@link Variant#DEFAULT}
 * @param deliveryModes  supported delivery modes, at least one
 * @param status         readiness shown in the catalog
 * @param iconUrl        an https URL or a {@code data:} URI of a square icon, or null
 * @param docsUrl        documentation for users, or null
 * @param spiVersion     the SPI version the plugin was built against: {@link SpiVersion#CURRENT}
 * @param configSchema   JSON Schema of the installation config, as JSON text
 * @param allowedHosts   the only hosts {@link ConnectorHttp} lets this connector call (besides a
 *                       base URL an operator sets platform-wide); tenants cannot add any. An entry
 *                       {@code *.example.com} allows every host below {@code example.com}, for
 *                       pre-signed download URLs on a storage service (at least two labels after
 *                       {@code *.}; no other wildcards)
 * @param requestsPerSecond the vendor rate the platform's HTTP client keeps to, per installation
 * @since 1.0
 */
public record ConnectorDescriptor(String slug, String name, String category, String description,
                                  List<Variant> variants, Set<DeliveryMode> deliveryModes,
                                  CatalogStatus status, String iconUrl,
                                  String docsUrl, String spiVersion, String configSchema,
                                  Set<String> allowedHosts, double requestsPerSecond) {

    /** What a slug looks like. */
    public static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,39}$");

    public ConnectorDescriptor {
        Objects.requireNonNull(slug, "slug");
        if (!SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("slug must match " + SLUG + ": " + slug);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        description = description == null ? "" : description;
        variants = List.copyOf(variants);
        if (variants.stream().noneMatch(v -> v.key().equals(Variant.DEFAULT))) {
            throw new IllegalArgumentException("a connector must offer the '" + Variant.DEFAULT + "' variant");
        }
        deliveryModes = Collections.unmodifiableSet(EnumSet.copyOf(requireNonEmpty(deliveryModes, "deliveryModes")));
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(spiVersion, "spiVersion");
        Objects.requireNonNull(configSchema, "configSchema");
        allowedHosts = Set.copyOf(allowedHosts);
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be positive");
        }
    }

    private static <T> Set<T> requireNonEmpty(Set<T> set, String what) {
        if (set == null || set.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return set;
    }

    /**
     * Starts a descriptor.
     *
     * @param slug       the connector's stable identifier
     * @param spiVersion always pass {@link SpiVersion#CURRENT}: the compiler copies its value into
     *                   your plugin, which is how the platform learns what you built against
     */
    public static Builder builder(String slug, String spiVersion) {
        return new Builder(slug, spiVersion);
    }

    /** Builds a {@link ConnectorDescriptor}. */
    public static final class Builder {
        private final String slug;
        private final String spiVersion;
        private String name;
        private String category = "Other";
        private String description = "";
        private final List<Variant> variants = new ArrayList<>();
        private final Set<DeliveryMode> deliveryModes = new LinkedHashSet<>();
        private CatalogStatus status = CatalogStatus.AVAILABLE;
        private String iconUrl;
        private String docsUrl;
        private String configSchema = "{\"type\":\"object\",\"properties\":{}}";
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private double requestsPerSecond = 10;

        private Builder(String slug, String spiVersion) {
            this.slug = slug;
            this.spiVersion = spiVersion;
        }

        public Builder name(String name) { this.name = name; return this; }

        public Builder category(String category) { this.category = category; return this; }

        public Builder description(String description) { this.description = description; return this; }

        /** Adds a variant; {@link Variant#DEFAULT} is added automatically if you add none. */
        public Builder variant(Variant variant) { variants.add(variant); return this; }

        public Builder deliveryModes(DeliveryMode... modes) { deliveryModes.addAll(List.of(modes)); return this; }

        public Builder status(CatalogStatus status) { this.status = status; return this; }

        public Builder iconUrl(String iconUrl) { this.iconUrl = iconUrl; return this; }

        public Builder docsUrl(String docsUrl) { this.docsUrl = docsUrl; return this; }

        /** The config JSON Schema as text. */
        public Builder configSchema(String json) { this.configSchema = json; return this; }

        /** The config JSON Schema from a resource next to {@code owner}, e.g. {@code "config-schema.json"}. */
        public Builder configSchemaResource(Class<?> owner, String resource) {
            try (InputStream in = owner.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no resource " + resource + " next to " + owner.getName());
                }
                this.configSchema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Hosts the connector may call, e.g. {@code api.sendgrid.com}. */
        public Builder allowedHosts(String... hosts) { allowedHosts.addAll(List.of(hosts)); return this; }

        /** The request rate per installation the vendor tolerates (default 10/s). */
        public Builder requestsPerSecond(double rate) { this.requestsPerSecond = rate; return this; }

        public ConnectorDescriptor build() {
            List<Variant> vs = new ArrayList<>(variants);
            if (vs.stream().noneMatch(v -> v.key().equals(Variant.DEFAULT))) {
                vs.add(0, Variant.defaultVariant());
            }
            return new ConnectorDescriptor(slug, name == null ? slug : name, category, description, vs,
                    deliveryModes.isEmpty() ? Set.of(DeliveryMode.SERVER_SIDE) : deliveryModes,
                    status, iconUrl, docsUrl, spiVersion, configSchema, allowedHosts, requestsPerSecond);
        }
    }
}
