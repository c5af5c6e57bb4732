package dev.junction.platform.plugin;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * Where connectors come from ({@code junction.plugins-dir}, from {@code JUNCTION_PLUGINS_DIR}).
 *
 * @param pluginsDir the directory of plugin jars (relative to the working directory unless absolute)
 */
@Context
@ConfigurationProperties("junction")
record PluginSettings(@Bindable(defaultValue = "plugins") @NotBlank String pluginsDir) {
}
