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

/** Runs of cohort syncs, of one tenant. */
@Singleton
class CohortSyncRunRepository {

    static final String COLUMNS = "tenant_id, id, sync_id, status, trigger, attempt, counts::text AS counts, "
            + "vendor_jobs::text AS vendor_jobs, error, created_at, started_at, finished_at";

    private final Jdbc jdbc;

    CohortSyncRunRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The sync's queued run, if there is one (a new request joins it instead of queueing another). */
    Optional<CohortSyncRunRecord> findQueued(TenantId tenant, UUID sync) {
        return jdbc.one("SELECT " + COLUMNS + " FROM cohort_sync_run WHERE tenant_id = ? AND sync_id = ? AND status = 'queued' "
                + "ORDER BY created_at LIMIT 1 FOR UPDATE", CohortSyncRunRepository::map, tenant.value(), sync);
    }

    void insertQueued(TenantId tenant, UUID id, UUID sync, String trigger, Instant now) {
        jdbc.update("INSERT INTO cohort_sync_run (tenant_id, id, sync_id, status, trigger, not_before, created_at) "
                + "VALUES (?, ?, ?, 'queued', ?, ?, ?)", tenant.value(), id, sync, trigger, now, now);
    }

    Optional<CohortSyncRunRecord> find(TenantId tenant, UUID sync, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM cohort_sync_run WHERE tenant_id = ? AND sync_id = ? AND id = ?",
                CohortSyncRunRepository::map, tenant.value(), sync, id);
    }

    /** Runs of a sync, newest first, before the run created at {@code beforeCreated} with id {@code beforeId} (null: from the newest). */
    List<CohortSyncRunRecord> list(TenantId tenant, UUID sync, Instant beforeCreated, UUID beforeId, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM cohort_sync_run WHERE tenant_id = ? AND sync_id = ? "
                        + "AND (?::timestamptz IS NULL OR (created_at, id) < (?::timestamptz, ?::uuid)) ORDER BY created_at DESC, id DESC LIMIT ?",
                CohortSyncRunRepository::map, tenant.value(), sync, beforeCreated, beforeCreated, beforeId, limit);
    }

    /** When the last run of a sync of the installation succeeded (in full or in part). */
    Optional<Instant> lastSucceeded(TenantId tenant, UUID installation) {
        return jdbc.one("""
                SELECT max(r.finished_at) AS last FROM cohort_sync_run r JOIN cohort_sync s ON s.tenant_id = r.tenant_id AND s.id = r.sync_id
                WHERE r.tenant_id = ? AND s.installation_id = ? AND r.status IN ('succeeded', 'partially_succeeded')""",
                rs -> Optional.ofNullable(Jdbc.instant(rs, "last")), tenant.value(), installation).flatMap(last -> last);
    }

    /** Records the latest state of a vendor job of the run. */
    void putVendorJob(TenantId tenant, UUID run, String jobId, String stateJson) {
        jdbc.update("UPDATE cohort_sync_run SET vendor_jobs = vendor_jobs || jsonb_build_object(?::text, ?::jsonb) "
                + "WHERE tenant_id = ? AND id = ?", jobId, stateJson, tenant.value(), run);
    }

    void addRejection(TenantId tenant, UUID run, String email, String reason) {
        jdbc.update("INSERT INTO cohort_run_rejection (tenant_id, run_id, email, reason) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (tenant_id, run_id, email) DO UPDATE SET reason = EXCLUDED.reason", tenant.value(), run, email, reason);
    }

    /** Rejections of a run by e-mail, after {@code afterEmail}. */
    List<String[]> rejections(TenantId tenant, UUID run, String afterEmail, int limit) {
        return jdbc.list("SELECT email, reason FROM cohort_run_rejection WHERE tenant_id = ? AND run_id = ? "
                        + "AND (?::text IS NULL OR email > ?) ORDER BY email LIMIT ?",
                rs -> new String[]{rs.getString(1), rs.getString(2)}, tenant.value(), run, afterEmail, afterEmail, limit);
    }

    static CohortSyncRunRecord map(ResultSet rs) throws SQLException {
        return new CohortSyncRunRecord(new TenantId(rs.getObject("tenant_id", UUID.class)), rs.getObject("id", UUID.class),
                rs.getObject("sync_id", UUID.class), rs.getString("status"), rs.getString("trigger"), rs.getInt("attempt"),
                rs.getString("counts"), rs.getString("vendor_jobs"), rs.getString("error"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"));
    }
}
