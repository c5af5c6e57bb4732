package dev.junction.platform.installationhealth;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads for one installation's health; every query is the tenant's and the installation's only. */
@Singleton
class InstallationHealthRepository {

    /**
     * Event-log statuses that record a failure: refused webhooks (rejected, malformed, unavailable,
     * unauthenticated), delivery attempts that failed (retrying, dead) and failed sync runs.
     */
    static final List<String> ERROR_STATUSES = List.of("rejected", "malformed", "unavailable", "unauthenticated", "retrying", "dead",
            "failed");
    private static final String ERROR_SQL = String.join(", ", ERROR_STATUSES.stream().map(s -> "'" + s + "'").toList());

    private final Jdbc jdbc;

    InstallationHealthRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Event-log entries per hour, direction and status since {@code since}; {@code recent}: of them, since {@code hourAgo}. */
    record Bucket(Instant hour, String direction, String status, long count, long recent) { }

    List<Bucket> buckets(TenantId tenant, UUID installation, Instant since, Instant hourAgo) {
        // the installation's time index (tenant_id, installation_id, recorded_at) bounds the scan to the day
        return jdbc.list("""
                SELECT date_trunc('hour', recorded_at) AS hour, direction, status, count(*), count(*) FILTER (WHERE recorded_at >= ?)
                FROM event_log
                WHERE tenant_id = ? AND installation_id = ? AND recorded_at >= ? AND direction IN ('inbound', 'outbound')
                GROUP BY 1, 2, 3""",
                rs -> new Bucket(Jdbc.instant(rs, "hour"), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)),
                hourAgo, tenant.value(), installation, since);
    }

    /** Pending deliveries and the oldest one's queue time. */
    record Backlog(long pending, Instant oldestQueuedAt) { }

    Backlog backlog(TenantId tenant, UUID installation) {
        return jdbc.one("""
                SELECT count(*), min(queued_at) AS oldest FROM delivery
                WHERE tenant_id = ? AND installation_id = ? AND status = 'pending'""",
                rs -> new Backlog(rs.getLong(1), Jdbc.instant(rs, "oldest")), tenant.value(), installation).orElse(new Backlog(0, null));
    }

    Optional<Instant> lastDelivered(TenantId tenant, UUID installation) {
        return jdbc.one("""
                SELECT max(finished_at) AS last FROM delivery
                WHERE tenant_id = ? AND installation_id = ? AND status = 'delivered'""",
                rs -> Optional.ofNullable(Jdbc.instant(rs, "last")), tenant.value(), installation).flatMap(last -> last);
    }

    /** The last succeeded cohort or object sync run of the installation. */
    Optional<Instant> lastSyncSucceeded(TenantId tenant, UUID installation) {
        return jdbc.one("""
                SELECT greatest(
                    (SELECT max(r.finished_at) FROM cohort_sync_run r JOIN cohort_sync s ON s.tenant_id = r.tenant_id AND s.id = r.sync_id
                     WHERE r.tenant_id = ? AND s.installation_id = ? AND r.status IN ('succeeded', 'partially_succeeded')),
                    (SELECT max(finished_at) FROM object_sync_run
                     WHERE tenant_id = ? AND installation_id = ? AND status = 'succeeded')) AS last""",
                rs -> Optional.ofNullable(Jdbc.instant(rs, "last")), tenant.value(), installation, tenant.value(), installation)
                .flatMap(last -> last);
    }

    /** An entry of the event log that records a failure. */
    record ErrorEntry(Instant recordedAt, long seq, String kind, String name, String status, Integer httpStatus) { }

    List<ErrorEntry> lastErrors(TenantId tenant, UUID installation, Instant since, int limit) {
        return jdbc.list("""
                SELECT recorded_at, id, kind, name, status, http_status FROM event_log
                WHERE tenant_id = ? AND installation_id = ? AND recorded_at >= ? AND status IN (%s)
                ORDER BY recorded_at DESC, id DESC LIMIT ?""".formatted(ERROR_SQL),
                rs -> new ErrorEntry(Jdbc.instant(rs, "recorded_at"), rs.getLong("id"), rs.getString("kind"), rs.getString("name"),
                        rs.getString("status"), (Integer) rs.getObject("http_status")),
                tenant.value(), installation, since, limit);
    }
}
