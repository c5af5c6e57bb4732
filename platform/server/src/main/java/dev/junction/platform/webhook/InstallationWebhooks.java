package dev.junction.platform.webhook;

import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.installation.InstallationViews;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.spi.Capability;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Connects installations and webhooks: an event-source installation gets its URL in the
 * transaction that creates it, and installation views show the current URL.
 */
@Singleton
final class InstallationWebhooks implements InstallationViews.WebhookUrls {

    private final WebhookService webhooks;
    private final ConnectorRegistry registry;

    InstallationWebhooks(WebhookService webhooks, ConnectorRegistry registry) {
        this.webhooks = webhooks;
        this.registry = registry;
    }

    @EventListener
    void onCreated(InstallationService.InstallationCreated event) {
        Installation i = event.installation();
        if (registry.find(i.connector()).map(e -> e.has(Capability.EVENT_SOURCE)).orElse(false)) {
            webhooks.createFor(i.tenantId(), i.id());
        }
    }

    @Override
    public String urlOf(Installation installation) {
        return webhooks.info(installation.tenantId(), installation.id()).map(WebhookService.WebhookInfo::url).orElse(null);
    }
}
