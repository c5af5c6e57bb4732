package dev.junction.platform.delivery;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the outbox holds, for the features that show it (installation health, the platform's
 * gauges): the {@code delivery} table is read here, not by them.
 */
@Singleton
public class DeliveryBacklog {

    /** Pending deliveries and when the oldest was queued (null when none is pending). */
    public record Pending(long count, @Nullable Instant oldestQueuedAt) { }

    private final Jdbc jdbc;

    DeliveryBacklog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The installation's pending deliveries. */
    public Pending pending(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT count(*), min(queued_at) AS oldest FROM delivery WHERE tenant_id = ? AND installation_id = ? "
                        + "AND status = 'pending'", rs -> new Pending(rs.getLong(1), Jdbc.instant(rs, "oldest")), tenant.value(), installation)
                .orElse(new Pending(0, null));
    }

    /** Every tenant's pending deliveries (for the platform's gauges). */
    public Pending pendingEverywhere() {
        return jdbc.one("SELECT count(*), min(queued_at) AS oldest FROM delivery WHERE status = 'pending'",
                rs -> new Pending(rs.getLong(1), Jdbc.instant(rs, "oldest"))).orElse(new Pending(0, null));
    }

    /** When the installation's last delivery got through. */
    public Optional<Instant> lastDelivered(TenantId tenant, UUID installation) {
        return jdbc.one("SELECT max(finished_at) AS last FROM delivery WHERE tenant_id = ? AND installation_id = ? AND status = 'delivered'",
                rs -> Optional.ofNullable(Jdbc.instant(rs, "last")), tenant.value(), installation).flatMap(last -> last);
    }
}
