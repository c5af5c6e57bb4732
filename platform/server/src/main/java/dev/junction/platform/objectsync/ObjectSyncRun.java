package dev.junction.platform.objectsync;

import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One run of an installation's object sync.
 *
 * @param status          queued, running, succeeded or failed
 * @param trigger         manual or scheduled
 * @param collectionsJson per collection {@link PassCounts}, as JSON
 */
record ObjectSyncRun(TenantId tenantId, UUID id, UUID installationId, String status, String trigger, int attempt,
                     String collectionsJson, @Nullable String error, Instant createdAt, @Nullable Instant startedAt,
                     @Nullable Instant finishedAt) {
}
