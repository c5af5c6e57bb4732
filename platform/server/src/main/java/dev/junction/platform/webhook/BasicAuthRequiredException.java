package dev.junction.platform.webhook;

import dev.junction.platform.web.ApiException;
import io.micronaut.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** A webhook requires HTTP Basic credentials the request did not carry (answered with a Basic challenge). */
final class BasicAuthRequiredException extends ApiException {
    BasicAuthRequiredException() {
        super(HttpStatus.UNAUTHORIZED, "webhook-unauthenticated", "Credentials required",
                "This webhook URL requires HTTP Basic credentials", List.of());
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("WWW-Authenticate", "Basic realm=\"junction-webhook\"");
    }
}
