package dev.junction.platform.plugin;

import dev.junction.platform.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How the platform calls connectors ({@code junction.plugins.*}).
 *
 * @param callTimeout the time limit of ordinary calls (check, verify, normalize); runs have their own
 */
@Context
@ConfigurationProperties("junction.plugins")
record PluginCallSettings(@Bindable(defaultValue = "30s") Duration callTimeout) {

    PluginCallSettings {
        Settings.positive("junction.plugins.call-timeout", callTimeout);
    }
}
