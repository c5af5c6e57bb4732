package dev.junction.platform.installation;

import dev.junction.platform.security.Caller;
import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.spi.Capability;
import jakarta.inject.Singleton;

import java.util.Locale;
import java.util.Map;

/**
 * Turns installations into API responses. Features that add to an installation's view (the
 * webhook URL of event sources, object sync settings) contribute through {@link WebhookUrls} and
 * {@link ObjectSyncHook}.
 */
@Singleton
public class InstallationViews {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    private final ConnectorRegistry registry;
    private final WebhookUrls webhookUrls;
    private final ObjectSyncHook objectSync;

    InstallationViews(ConnectorRegistry registry, WebhookUrls webhookUrls, ObjectSyncHook objectSync) {
        this.registry = registry;
        this.webhookUrls = webhookUrls;
        this.objectSync = objectSync;
    }

    /** Gives the webhook URL of an installation whose connector receives webhooks. */
    public interface WebhookUrls {
        String urlOf(Installation installation);
    }

    /** The view for {@code caller}: without the webhook URL (a credential) for a caller that cannot write. */
    public InstallationResponse view(Installation i, Caller caller) {
        InstallationResponse full = view(i);
        return caller.canWrite() || full.webhookUrl() == null ? full : full.withoutWebhookUrl();
    }

    @SuppressWarnings("unchecked")
    public InstallationResponse view(Installation i) {
        boolean eventSource = registry.find(i.connector()).map(e -> e.has(Capability.EVENT_SOURCE)).orElse(false);
        return new InstallationResponse(i.id(), i.connector(), i.name(), i.variant(), i.deliveryMode(),
                i.status().name().toLowerCase(Locale.ROOT),
                JSON.convertValue(InstallationService.redacted(i), Map.class),
                InstallationResponse.CheckResponse.of(i.lastCheck()),
                eventSource ? webhookUrls.urlOf(i) : null, objectSync.view(i), i.createdAt(), i.updatedAt());
    }
}
