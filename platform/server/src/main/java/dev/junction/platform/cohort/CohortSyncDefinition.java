package dev.junction.platform.cohort;

import dev.junction.platform.tenancy.TenantId;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A cohort kept equal to a vendor list through an installation.
 *
 * @param mapping vendor field to member field, e.g. {@code first_name -> given_name}
 */
record CohortSyncDefinition(TenantId tenantId, UUID id, UUID installationId, UUID cohortId, String listName,
                             Map<String, String> mapping, String cadence, Instant nextRunAt, Instant createdAt,
                             Instant updatedAt) { }
