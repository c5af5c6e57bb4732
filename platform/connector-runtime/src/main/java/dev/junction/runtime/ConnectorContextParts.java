package dev.junction.runtime;

import dev.junction.spi.ConnectorConfig;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorHttp;
import dev.junction.spi.EventLog;
import dev.junction.spi.InstallationInfo;
import dev.junction.spi.Json;
import dev.junction.spi.StateStore;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/** A {@link ConnectorContext} assembled from its parts. */
public record ConnectorContextParts(InstallationInfo installation, ConnectorConfig config, ConnectorHttp http,
                                   EventLog log, Clock clock, StateStore state, Json json,
                                   Function<String, Optional<String>> platformSettings) implements ConnectorContext {

    @Override
    public Optional<String> platformSetting(String name) {
        return platformSettings.apply(name);
    }
}
