package dev.junction.platform.webhook;

import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.ProblemResponses;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;

import java.util.List;

/**
 * Refuses a webhook body over {@code junction.webhooks.max-body-size} (default 5 MB) with 413
 * from its Content-Length, before any of it is read. (A body sent without a length is capped by
 * the server-wide {@code micronaut.server.max-request-size}.)
 */
@ServerFilter("/v1/webhooks/**")
final class WebhookBodyLimitFilter implements Ordered {

    private final long maxBytes;

    private final PlatformMetrics metrics;

    WebhookBodyLimitFilter(@Property(name = "junction.webhooks.max-body-size", defaultValue = "5MB") @ReadableBytes long maxBytes,
                           PlatformMetrics metrics) {
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> checkLength(HttpRequest<?> request) {
        long length = request.getContentLength();
        if (length > maxBytes) {
            metrics.webhookRequest(null, "refused_size"); // refused before the URL is resolved: no connector yet
            return ProblemResponses.of(new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                    "Payload too large", "Webhook bodies are limited to " + maxBytes + " bytes; this one declares " + length,
                    List.of()));
        }
        return null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
