package dev.junction.platform.webhook;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * Where vendors post webhooks: {@code POST /v1/webhooks/{webhook_id}}. No bearer token: the random
 * id in the URL (plus the connector's signature check and optional basic auth) authenticates.
 */
@Controller("/v1/webhooks")
@Secured(SecurityRule.IS_ANONYMOUS)
class WebhookController {

    private final WebhookService webhooks;

    WebhookController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Serdeable
    record WebhookReceipt(int accepted) { }

    /** Raw bytes, whatever the content type: signatures are computed over the exact body. */
    @Post("/{webhookId}")
    @Consumes(MediaType.ALL)
    WebhookReceipt receive(String webhookId, HttpRequest<?> request, @Body byte[] body) {
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        request.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        WebhookService.Receipt r = webhooks.receive(webhookId, headers, body);
        return new WebhookReceipt(r.accepted());
    }
}
