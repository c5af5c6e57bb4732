package dev.junction.platform.objectsync;

import dev.junction.platform.webhook.WebhookService;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Appends an installation's webhook events to the {@code events} table of its object sync schema,
 * in the transaction that stores them in the event log: both or neither. The settings row is read
 * with a share lock, so a concurrent delete of the installation waits for this append.
 */
@Singleton
final class WebhookEventsTable {

    private final ObjectSyncRepository settings;
    private final CollectionTables sql;

    WebhookEventsTable(ObjectSyncRepository settings, CollectionTables sql) {
        this.settings = settings;
        this.sql = sql;
    }

    @EventListener
    void onStored(WebhookService.WebhookEventsStored stored) {
        settings.findForShare(stored.tenant(), stored.installationId()).filter(ObjectSyncSettings::eventsTable)
                .ifPresent(s -> sql.appendEvents(s.schemaName(), stored.events(), stored.receivedAt()));
    }
}
