package dev.junction.platform.delivery;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.spi.Capability;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Routes stored events to the tenant's destinations: every enabled installation in
 * {@code server_side} mode whose connector has {@code event_destination}. Runs inside the
 * transaction that stores the events, so an event is durable and queued, or neither.
 */
@Singleton
public class DeliveryOutbox {

    /** Notified (payload empty) when deliveries are queued, so idle workers on every replica wake up. */
    static final String CHANNEL = "junction_delivery";
    /**
     * Lanes per installation: how many workers may deliver to one installation at once. Fixed,
     * because a user's lane is a hash of the user modulo this number: changing it would let a
     * user's pending events be delivered out of order.
     */
    static final int LANES = 8;

    private final DeliveryRepository deliveries;
    private final InstallationService installations;
    private final ConnectorRegistry registry;
    private final TransactionOperations<Connection> tx;
    private final Jdbc jdbc;

    DeliveryOutbox(DeliveryRepository deliveries, InstallationService installations, ConnectorRegistry registry,
                   TransactionOperations<Connection> tx, Jdbc jdbc) {
        this.deliveries = deliveries;
        this.installations = installations;
        this.registry = registry;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /** An event to route: its stored id and the key of its user. */
    public record QueuedEvent(long eventId, String userKey) { }

    /** Queues the events (in delivery order) for every destination; returns how many deliveries were queued. */
    public int enqueue(TenantId tenant, List<QueuedEvent> events, Instant now) {
        if (events.isEmpty()) {
            return 0;
        }
        return tx.executeWrite(s -> {
            List<UUID> destinations = installations.serverSide(tenant).stream()
                    .filter(i -> registry.find(i.connector()).map(DeliveryOutbox::isDestination).orElse(false))
                    .map(InstallationService.ServerSide::id).sorted().toList();
            if (destinations.isEmpty()) {
                return 0;
            }
            int queued = deliveries.enqueue(tenant, events.stream().map(e -> new DeliveryRepository.Routed(e.eventId(), e.userKey())).toList(),
                    destinations, LANES, now);
            jdbc.one("SELECT pg_notify(?, '')", rs -> 1, CHANNEL);
            return queued;
        });
    }

    /**
     * Which of these tracked events still wait for a destination: the event's retention keeps them
     * until they are delivered or dead-lettered.
     */
    public Set<Long> pendingAmong(TenantId tenant, Collection<Long> eventIds) {
        return eventIds.isEmpty() ? Set.of() : Set.copyOf(deliveries.pendingEvents(tenant, eventIds));
    }

    private static boolean isDestination(ConnectorEntry entry) {
        return entry.has(Capability.EVENT_DESTINATION);
    }
}
