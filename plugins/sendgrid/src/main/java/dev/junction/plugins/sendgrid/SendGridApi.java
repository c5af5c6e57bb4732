package dev.junction.plugins.sendgrid;

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
 * SendGrid's v3 API for one installation: the base URL (region, or the operator's
 * {@code JUNCTION_SENDGRID_API_URL}) and authenticated calls through the platform's HTTP client.
 */
final class SendGridApi {

    static final String GLOBAL_URL = "https://api.sendgrid.com";
    static final String EU_URL = "https://api.eu.sendgrid.com";

    private final ConnectorContext context;
    private final URI base;
    private final String apiKey;

    SendGridApi(ConnectorContext context) {
        this.context = context;
        this.base = URI.create(context.platformSetting("api_url")
                .orElse("eu".equals(context.config().string("region").orElse("global")) ? EU_URL : GLOBAL_URL));
        this.apiKey = context.config().requireString("api_key");
    }

    URI uri(String pathAndQuery) {
        return HttpCall.endpoint(base, pathAndQuery);  // keeps a base path such as an operator's proxy prefix
    }

    HttpResult get(String pathAndQuery) throws ConnectorException {
        return context.http().send(HttpCall.get(uri(pathAndQuery)).bearer(apiKey).build());
    }

    /**
     * Retry budget for the calls of a long-running job such as a cohort sync: the given per-attempt
     * timeout, 6 attempts for 5xx and network errors (idempotent calls only), and up to 10 minutes
     * of waiting out 429s and backoff per call. The platform's deadline for the run still bounds it.
     */
    static HttpCall.Builder patient(HttpCall.Builder call, Duration timeout) {
        return call.timeout(timeout).maxAttempts(6).maxWait(Duration.ofMinutes(10));
    }

    /**
     * Retry budget for event delivery, which the platform retries as a whole and which should end
     * well within its call limit: 20 s per attempt, 4 attempts for 5xx and network errors
     * (idempotent calls only), and at most 15 s of waiting out 429s and backoff. A longer rate
     * limit ends the call with a {@code RetriableConnectorException} carrying SendGrid's wait as
     * {@code retryAfter}, so the platform retries the batch after it instead of holding a worker.
     */
    static HttpCall.Builder prompt(HttpCall.Builder call) {
        return call.timeout(Duration.ofSeconds(20)).maxAttempts(4).maxWait(Duration.ofSeconds(15));
    }

    /**
     * Sends the call with the installation's key. SendGrid's 401 and 403 end the operation with a
     * {@link PermanentConnectorException} ({@code unauthorized}, {@code forbidden}): retrying with
     * the same key cannot help. Every other status is returned.
     */
    HttpResult send(HttpCall.Builder call) throws ConnectorException {
        HttpCall built = call.bearer(apiKey).build();
        HttpResult r = context.http().send(built);
        String what = built.method() + " " + built.uri().getPath();
        if (r.status() == 401) {
            throw new PermanentConnectorException("unauthorized", "SendGrid rejected the API key (401 to " + what
                    + ": " + errorMessage(r) + "). The key was revoked or is wrong: put a valid key in the "
                    + "installation's settings.");
        }
        if (r.status() == 403) {
            throw new PermanentConnectorException("forbidden", "The API key is not allowed to call " + what + " (403: "
                    + errorMessage(r) + "). Give it Marketing access in SendGrid (Settings > API Keys); SendGrid's "
                    + "permission list names it " + ConnectionCheck.SCOPE_HINT + ".");
        }
        return r;
    }

    /** A SendGrid answer the connector cannot use, as a permanent failure naming the call. */
    PermanentConnectorException unexpected(String what, HttpResult r) {
        return new PermanentConnectorException("unexpected_response", "SendGrid answered " + r.status() + " to " + what
                + ": " + errorMessage(r));
    }

    /** The JSON object of a 2xx answer; anything else is an {@code unexpected_response}. */
    Map<?, ?> object(String what, HttpResult r) throws PermanentConnectorException {
        return context.json().parseObject(r.body()).orElseThrow(() -> new PermanentConnectorException("unexpected_response",
                "SendGrid's answer to " + what + " was not the JSON object its documentation describes"));
    }

    /** Every {@code {"field","message"}} of SendGrid's {@code {"errors":[...]}} body (field may be null). */
    List<Map<?, ?>> errors(HttpResult r) {
        return List.copyOf(context.json().objectsIn(r.body(), "errors"));
    }

    /**
     * Whether SendGrid refused a {@code PUT /v3/marketing/contacts} for its {@code list_ids}: a 404,
     * or a 400 naming {@code list_ids} (the list was deleted, or never existed).
     */
    boolean listRefused(HttpResult r) {
        return r.status() == 404 || r.status() == 400 && errors(r).stream()
                .anyMatch(e -> e.get("field") instanceof String f && f.startsWith("list_ids"));
    }

    /** A path segment or query value, percent-encoded. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The first error message in SendGrid's {@code {"errors":[{"message":...}]}} body, if any. */
    String errorMessage(HttpResult r) {
        List<Map<?, ?>> errors = errors(r);
        return !errors.isEmpty() && errors.get(0).get("message") != null ? String.valueOf(errors.get(0).get("message"))
                : "HTTP " + r.status();
    }
}
