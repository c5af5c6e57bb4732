package dev.junction.platform.eventlog;

import dev.junction.platform.tenant.TenantService;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/** Deletes a tenant's event log entries and dedupe keys when the tenant is deleted (same transaction). */
@Singleton
final class TenantEventsCleanup {

    private final EventLogRepository events;

    TenantEventsCleanup(EventLogRepository events) {
        this.events = events;
    }

    @EventListener
    void onTenantDeleted(TenantService.TenantDeleted event) {
        events.deleteAll(event.tenant());
    }
}
