package dev.junction.platform.cohort;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Cohorts of one tenant. */
@Singleton
class CohortRepository {

    private static final String COLUMNS = "tenant_id, id, key, name, member_count, created_at, updated_at";

    private final Jdbc jdbc;

    CohortRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    boolean insert(TenantId tenant, Cohort c) {
        return jdbc.update("INSERT INTO cohort (tenant_id, id, key, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (tenant_id, key) DO NOTHING", tenant.value(), c.id(), c.key(), c.name(), c.createdAt(), c.updatedAt()) == 1;
    }

    Optional<Cohort> find(TenantId tenant, String key) {
        return jdbc.one("SELECT " + COLUMNS + " FROM cohort WHERE tenant_id = ? AND key = ?", CohortRepository::map, tenant.value(), key);
    }

    Optional<Cohort> findById(TenantId tenant, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM cohort WHERE tenant_id = ? AND id = ?", CohortRepository::map, tenant.value(), id);
    }

    /** Locks the cohort row: uploads to one cohort serialise. */
    Optional<Cohort> lock(TenantId tenant, String key) {
        return jdbc.one("SELECT " + COLUMNS + " FROM cohort WHERE tenant_id = ? AND key = ? FOR UPDATE", CohortRepository::map,
                tenant.value(), key);
    }

    List<Cohort> list(TenantId tenant, String afterKey, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM cohort WHERE tenant_id = ? AND (?::text IS NULL OR key > ?) ORDER BY key LIMIT ?",
                CohortRepository::map, tenant.value(), afterKey, afterKey, limit);
    }

    /** Recounts the members and stamps the change. */
    void refreshCount(TenantId tenant, UUID cohort, Instant now) {
        jdbc.update("UPDATE cohort SET member_count = (SELECT count(*) FROM cohort_member m WHERE m.tenant_id = ? AND m.cohort_id = ?), "
                + "updated_at = ? WHERE tenant_id = ? AND id = ?", tenant.value(), cohort, now, tenant.value(), cohort);
    }

    boolean delete(TenantId tenant, String key) {
        return jdbc.update("DELETE FROM cohort WHERE tenant_id = ? AND key = ?", tenant.value(), key) == 1;
    }

    private static Cohort map(ResultSet rs) throws SQLException {
        return new Cohort(new TenantId(rs.getObject("tenant_id", UUID.class)), rs.getObject("id", UUID.class), rs.getString("key"),
                rs.getString("name"), rs.getLong("member_count"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
