package dev.junction.plugins.klaviyo;

import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Klaviyo's REST API for one installation: the base URL ({@code https://a.klaviyo.com}, or the
 * operator's {@code JUNCTION_KLAVIYO_API_URL}), the private key and the {@code revision} header of the
 * OpenAPI files the connector is written to, through the platform's HTTP client.
 */
final class KlaviyoApi {

    static final String BASE_URL = "https://a.klaviyo.com";
    /** The revision of Klaviyo's OpenAPI files this connector is written to; every operation requires the header. */
    static final String REVISION = "2026-07-15";
    /** JSON:API's media type, the only one the spec lists for request and response bodies. */
    static final String JSON_API = "application/vnd.api+json";

    private final ConnectorContext context;
    private final URI base;
    private final String apiKey;

    KlaviyoApi(ConnectorContext context) {
        this.context = context;
        this.base = URI.create(context.platformSetting("api_url").orElse(BASE_URL));
        this.apiKey = context.config().requireString("api_key");
    }

    ConnectorContext context() {
        return context;
    }

    URI uri(String pathAndQuery) {
        return HttpCall.endpoint(base, pathAndQuery);  // keeps a base path such as an operator's proxy prefix
    }

    /** Retry budget of a long job such as a cohort sync (as SendGrid's): 6 attempts, up to 10 minutes of 429 waits. */
    static HttpCall.Builder patient(HttpCall.Builder call) {
        return call.timeout(Duration.ofSeconds(60)).maxAttempts(6).maxWait(Duration.ofMinutes(10));
    }

    /** Adds the key, revision and JSON:API headers and sends; every status is returned. */
    HttpResult raw(HttpCall.Builder call) throws ConnectorException {
        return context.http().send(call
                .header("Authorization", "Klaviyo-API-Key " + apiKey)
                .secret(apiKey)
                .header("revision", REVISION)
                .header("Accept", JSON_API)
                .build());
    }

    /** A JSON:API document body. */
    HttpCall.Builder withBody(HttpCall.Builder call, Object document) {
        return call.body(context.json().write(document), JSON_API);
    }

    /**
     * Sends like {@link #raw}; a 401 or 403 ends the operation with a {@link PermanentConnectorException}
     * naming Klaviyo's reason (for a 403, the missing scopes), since the same key cannot do better.
     */
    HttpResult send(HttpCall.Builder call, String what) throws ConnectorException {
        HttpResult r = raw(call);
        if (r.status() == 401) {
            throw new PermanentConnectorException("unauthorized", "Klaviyo rejected the API key (401 to " + what
                    + ": " + errorMessage(r) + "). Put a valid private key in the installation's settings.");
        }
        if (r.status() == 403) {
            throw new PermanentConnectorException("forbidden", "The API key may not call " + what + " (403: "
                    + errorMessage(r) + "). Give the key the access it names in Klaviyo (Settings > API keys).");
        }
        return r;
    }

    PermanentConnectorException unexpected(String what, HttpResult r) {
        return new PermanentConnectorException("unexpected_response", "Klaviyo answered " + r.status() + " to " + what
                + ": " + errorMessage(r));
    }

    /** The JSON object of an answer; anything else is an {@code unexpected_response}. */
    Map<?, ?> document(String what, HttpResult r) throws PermanentConnectorException {
        return context.json().parseObject(r.body()).orElseThrow(() -> new PermanentConnectorException("unexpected_response",
                "Klaviyo's answer to " + what + " was not the JSON:API document its spec describes"));
    }

    /** The {@code errors} of Klaviyo's error document (JSON:API), each a map with detail, code, source. */
    List<Map<?, ?>> errors(HttpResult r) {
        return List.copyOf(context.json().objectsIn(r.body(), "errors"));
    }

    /** The first error's {@code detail} (else its title), or the status. */
    String errorMessage(HttpResult r) {
        for (Map<?, ?> e : errors(r)) {
            Object text = e.get("detail") != null ? e.get("detail") : e.get("title");
            if (text != null) {
                return String.valueOf(text);
            }
        }
        return "HTTP " + r.status();
    }

    /** A path segment or query value, percent-encoded. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
