package dev.junction.platform.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * One integration in the catalog.
 *
 * @param status         {@code available}, {@code preview}, {@code placeholder} or {@code disabled}
 * @param disabledReason why it is disabled, when it is
 * @param configSchema   the JSON Schema of its installation config
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
record CatalogEntry(String slug, String name, String category, String description, List<String> capabilities,
                           List<VariantView> variants, @JsonProperty("delivery_modes") List<String> deliveryModes,
                           @JsonProperty("config_schema") Map<String, Object> configSchema, String status,
                           @JsonProperty("disabled_reason") @Nullable String disabledReason,
                           @JsonProperty("icon_url") @Nullable String iconUrl,
                           @JsonProperty("docs_url") @Nullable String docsUrl,
                           PluginView plugin) {

    /** A variant offered at install time. */
    @Serdeable
    public record VariantView(String key, String name, String description) { }

    /** The plugin that provides the integration. */
    @Serdeable
    public record PluginView(String id, @Nullable String version, @JsonProperty("spi_version") @Nullable String spiVersion) { }
}
