package dev.junction.platform.plugin;

import dev.junction.platform.web.ApiException;
import io.micronaut.http.HttpStatus;

import java.util.List;

/** A connector is disabled (it failed to load, threw or hung): answered 503 with the reason. */
public final class ConnectorUnavailableException extends ApiException {
    public ConnectorUnavailableException(String slug, String reason) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "connector-disabled", "Connector disabled",
                "The " + slug + " connector is disabled: " + reason, List.of());
    }
}
