package dev.junction.platform.delivery;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Lane leases: which worker delivers which lane. Necessarily across tenants (a worker serves every
 * tenant), so it is not a tenant-scoped repository; it only ever reads lane rows and whether a lane
 * has pending work, never a tenant's events.
 *
 * <p>A claim locks one ready lane with pending deliveries ({@code FOR UPDATE SKIP LOCKED}, so
 * concurrent claimers on any replica pass over each other) and records a lease in the same short
 * transaction. The lane least recently claimed goes first, so busy installations do not starve
 * quiet ones. A lease that is not released (the replica died) simply expires.
 */
@Singleton
class DeliveryQueue {

    /** A lane leased to this worker until {@code until}. */
    record Lease(TenantId tenant, UUID installationId, int lane, int failures, String worker, Instant until) { }

    private final Jdbc jdbc;

    DeliveryQueue(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Lease> claim(String worker, Instant now, Instant until) {
        return jdbc.one("""
                        WITH candidate AS (
                            SELECT l.installation_id, l.lane FROM delivery_lane l
                            WHERE l.ready_at <= ? AND (l.lease_until IS NULL OR l.lease_until < ?)
                              AND EXISTS (SELECT 1 FROM delivery d
                                          WHERE d.installation_id = l.installation_id AND d.lane = l.lane AND d.status = 'pending')
                            ORDER BY l.last_claimed_at
                            LIMIT 1
                            FOR UPDATE OF l SKIP LOCKED
                        )
                        UPDATE delivery_lane l SET leased_by = ?, lease_until = ?, last_claimed_at = ?
                        FROM candidate c WHERE l.installation_id = c.installation_id AND l.lane = c.lane
                        RETURNING l.tenant_id, l.installation_id, l.lane, l.failures""",
                rs -> new Lease(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class), rs.getShort(3), rs.getInt(4),
                        worker, until),
                now, now, worker, until, now);
    }

    /** Ends a lease: the lane is next ready at {@code readyAt}, after {@code failures} consecutive failures. */
    boolean release(Lease lease, Instant readyAt, int failures) {
        return jdbc.update("""
                        UPDATE delivery_lane SET leased_by = NULL, lease_until = NULL, ready_at = ?, failures = ?
                        WHERE installation_id = ? AND lane = ? AND leased_by = ?""",
                readyAt, failures, lease.installationId(), (short) lease.lane(), lease.worker()) == 1;
    }
}
