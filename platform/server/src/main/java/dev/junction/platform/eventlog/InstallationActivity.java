package dev.junction.platform.eventlog;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the event log says about one installation, for its health (every query is the tenant's and
 * the installation's only): the event log's table is read here, not by the health feature.
 */
@Singleton
public class InstallationActivity {

    /**
     * Event-log statuses that record a failure: refused webhooks (rejected, malformed, unavailable,
     * unauthenticated), delivery attempts that failed (retrying, dead) and failed sync runs.
     */
    public static final List<String> ERROR_STATUSES = List.of("rejected", "malformed", "unavailable", "unauthenticated", "retrying", "dead",
            "failed");
    private static final String ERROR_SQL = String.join(", ", ERROR_STATUSES.stream().map(s -> "'" + s + "'").toList());

    private final Jdbc jdbc;

    InstallationActivity(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Event-log entries per hour, direction and status since {@code since}; {@code recent}: of them, since {@code hourAgo}. */
    public record Bucket(Instant hour, String direction, String status, long count, long recent) { }

    public List<Bucket> buckets(TenantId tenant, UUID installation, Instant since, Instant hourAgo) {
        // the installation's time index (tenant_id, installation_id, recorded_at) bounds the scan to the day
        return jdbc.list("""
                SELECT date_trunc('hour', recorded_at) AS hour, direction, status, count(*), count(*) FILTER (WHERE recorded_at >= ?)
                FROM event_log
                WHERE tenant_id = ? AND installation_id = ? AND recorded_at >= ? AND direction IN ('inbound', 'outbound')
                GROUP BY 1, 2, 3""",
                rs -> new Bucket(Jdbc.instant(rs, "hour"), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)),
                hourAgo, tenant.value(), installation, since);
    }

    /** An entry of the event log that records a failure. */
    public record ErrorEntry(Instant recordedAt, long seq, String kind, String name, String status, Integer httpStatus) { }

    public List<ErrorEntry> lastErrors(TenantId tenant, UUID installation, Instant since, int limit) {
        return jdbc.list("""
                SELECT recorded_at, id, kind, name, status, http_status FROM event_log
                WHERE tenant_id = ? AND installation_id = ? AND recorded_at >= ? AND status IN (%s)
                ORDER BY recorded_at DESC, id DESC LIMIT ?""".formatted(ERROR_SQL),
                rs -> new ErrorEntry(Jdbc.instant(rs, "recorded_at"), rs.getLong("id"), rs.getString("kind"), rs.getString("name"),
                        rs.getString("status"), (Integer) rs.getObject("http_status")),
                tenant.value(), installation, since, limit);
    }
}
