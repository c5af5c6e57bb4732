package dev.junction.platform.webhook;

import dev.junction.platform.installation.ConnectorSessions;
import dev.junction.platform.installation.ConnectorSession;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.inbox.InboxEntry;
import dev.junction.platform.inbox.InboxHandler;
import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.plugin.ConnectorUnavailableException;
import dev.junction.platform.web.ApiException;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.source.EventSource;
import dev.junction.spi.source.SourceEvent;
import dev.junction.spi.source.WebhookRequest;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Processes acknowledged webhook requests behind the ack, in the inbox processor's transaction:
 * the connector normalises each raw body, then the events of consecutive requests of the
 * installation are stored together, once per dedupe key, in the event log (with the live-tail
 * notification) and published to object sync's events table.
 */
@Singleton
final class WebhookInboxHandler implements InboxHandler {

    static final String KIND = "webhook";

    private final InstallationService installations;
    private final ConnectorRegistry registry;
    private final ConnectorSessions sessions;
    private final EventLogService eventLog;
    private final ApplicationEventPublisher<WebhookService.WebhookEventsStored> stored;
    private final WebhookRejections rejections;
    private final PlatformMetrics metrics;

    WebhookInboxHandler(InstallationService installations, ConnectorRegistry registry, ConnectorSessions sessions, EventLogService eventLog,
                        ApplicationEventPublisher<WebhookService.WebhookEventsStored> stored, WebhookRejections rejections,
                        PlatformMetrics metrics) {
        this.installations = installations;
        this.registry = registry;
        this.sessions = sessions;
        this.eventLog = eventLog;
        this.stored = stored;
        this.rejections = rejections;
        this.metrics = metrics;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void process(InboxEntry entry) {
        process(List.of(entry));
    }

    /** Consecutive requests of one installation: normalised one by one, stored in one write. */
    @Override
    public void process(List<InboxEntry> entries) {
        InboxEntry first = entries.get(0);
        Optional<Installation> found = installation(first);
        if (found.isEmpty()) {
            return; // deleted since the ack: its events went with it
        }
        Installation installation = found.get();
        ConnectorEntry connector = registry.find(installation.connector())
                .orElseThrow(() -> new RetryLater("the " + installation.connector() + " connector is not loaded"));
        EventSource source = connector.capability(Capability.EVENT_SOURCE, EventSource.class)
                .orElseThrow(() -> new RetryLater("the " + installation.connector() + " connector receives no webhooks"));
        ConnectorSession session = sessions.forInstallation(connector, installation);
        List<NewEvent> rows = new ArrayList<>();
        List<WebhookService.WebhookEventsStored> published = new ArrayList<>();
        for (InboxEntry entry : entries) {
            WebhookRequest request = new WebhookRequest("POST", entry.headers(), entry.body(), entry.receivedAt());
            List<SourceEvent> events;
            try {
                events = session.invoke("normalize", context -> source.normalize(context, request));
            } catch (PermanentConnectorException e) {
                rejections.unprocessable(entry.tenant(), entry.stream(), installation.connector(), "malformed", e.getMessage(), entry.body());
                continue;
            } catch (ConnectorUnavailableException | ConnectorException e) {
                throw new RetryLater(e.getMessage());
            }
            if (events != null && !events.isEmpty()) {
                events.forEach(e -> rows.add(row(entry.stream(), e)));
                published.add(new WebhookService.WebhookEventsStored(entry.tenant(), entry.stream(), events, entry.receivedAt()));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        int accepted = eventLog.ingestWebhook(first.tenant(), first.stream(), rows).accepted();
        published.forEach(stored::publishEvent);
        metrics.webhookEvents(installation.connector(), "accepted", accepted);
        metrics.webhookEvents(installation.connector(), "duplicate", rows.size() - accepted);
    }

    @Override
    public void giveUp(InboxEntry entry, String reason) {
        String connector = installation(entry).map(Installation::connector).orElse(null);
        rejections.unprocessable(entry.tenant(), entry.stream(), connector, "failed", reason, entry.body());
    }

    private Optional<Installation> installation(InboxEntry entry) {
        try {
            return Optional.of(installations.get(entry.tenant(), entry.stream()));
        } catch (ApiException gone) {
            return Optional.empty();
        }
    }

    private static NewEvent row(UUID installation, SourceEvent e) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("name", e.name());
        payload.put("user_id", e.userId());
        payload.put("timestamp", e.timestamp());
        payload.put("library", e.library());
        payload.put("properties", e.properties());
        return new NewEvent(installation, NewEvent.Direction.INBOUND, "webhook_event", e.name(), "accepted", null,
                e.timestamp(), e.userId(), e.dedupeKey(), PlatformJson.write(payload));
    }
}
