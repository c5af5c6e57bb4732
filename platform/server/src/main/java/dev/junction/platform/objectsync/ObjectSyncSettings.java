package dev.junction.platform.objectsync;

import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * An installation's object sync: where its tables are and how often they are refreshed.
 *
 * @param schemaName  its PostgreSQL schema, unique in the database
 * @param eventsTable whether the schema has the {@code events} table of the installation's webhook events
 * @param nextRunAt   when the schedule queues the next run, or null (interval off)
 */
record ObjectSyncSettings(TenantId tenantId, UUID installationId, String schemaName, SyncInterval interval,
                          boolean eventsTable, @Nullable Instant nextRunAt, Instant createdAt, Instant updatedAt) {
}
