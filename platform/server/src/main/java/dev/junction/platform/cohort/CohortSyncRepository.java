package dev.junction.platform.cohort;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Cohort syncs of one tenant. */
@Singleton
class CohortSyncRepository {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;
    private static final String COLUMNS = "tenant_id, id, installation_id, cohort_id, list_name, mapping::text AS mapping, cadence, "
            + "next_run_at, created_at, updated_at";

    private final Jdbc jdbc;

    CohortSyncRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TenantId tenant, CohortSyncDefinition s) {
        jdbc.update("""
                INSERT INTO cohort_sync (tenant_id, id, installation_id, cohort_id, list_name, mapping, cadence, next_run_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""", tenant.value(), s.id(), s.installationId(), s.cohortId(),
                s.listName(), write(s.mapping()), s.cadence(), s.nextRunAt(), s.createdAt(), s.updatedAt());
    }

    Optional<CohortSyncDefinition> find(TenantId tenant, UUID installation, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM cohort_sync WHERE tenant_id = ? AND installation_id = ? AND id = ?",
                CohortSyncRepository::map, tenant.value(), installation, id);
    }

    Optional<CohortSyncDefinition> find(TenantId tenant, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM cohort_sync WHERE tenant_id = ? AND id = ?", CohortSyncRepository::map, tenant.value(), id);
    }

    List<CohortSyncDefinition> list(TenantId tenant, UUID installation) {
        return jdbc.list("SELECT " + COLUMNS + " FROM cohort_sync WHERE tenant_id = ? AND installation_id = ? ORDER BY created_at, id",
                CohortSyncRepository::map, tenant.value(), installation);
    }

    void setNextRun(TenantId tenant, UUID id, Instant next) {
        jdbc.update("UPDATE cohort_sync SET next_run_at = ? WHERE tenant_id = ? AND id = ?", next, tenant.value(), id);
    }

    boolean delete(TenantId tenant, UUID installation, UUID id) {
        return jdbc.update("DELETE FROM cohort_sync WHERE tenant_id = ? AND installation_id = ? AND id = ?",
                tenant.value(), installation, id) == 1;
    }

    static CohortSyncDefinition map(ResultSet rs) throws SQLException {
        try {
            return new CohortSyncDefinition(new TenantId(rs.getObject("tenant_id", UUID.class)), rs.getObject("id", UUID.class),
                    rs.getObject("installation_id", UUID.class), rs.getObject("cohort_id", UUID.class), rs.getString("list_name"),
                    JSON.readValue(rs.getString("mapping"), new TypeReference<Map<String, String>>() { }), rs.getString("cadence"),
                    Jdbc.instant(rs, "next_run_at"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable mapping", e);
        }
    }

    private static String write(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
