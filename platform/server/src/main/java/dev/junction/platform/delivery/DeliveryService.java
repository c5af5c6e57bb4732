package dev.junction.platform.delivery;

import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Reading the outbox and replaying what did not get through. */
@Singleton
class DeliveryService {

    /** The most deliveries one replay call may name by id. */
    static final int MAX_REPLAY_IDS = 10_000;

    private final DeliveryRepository deliveries;
    private final DeliveryWorkers workers;
    private final TransactionOperations<Connection> tx;
    private final dev.junction.platform.db.Jdbc jdbc;
    private final Clock clock;

    DeliveryService(DeliveryRepository deliveries, DeliveryWorkers workers, TransactionOperations<Connection> tx,
                    dev.junction.platform.db.Jdbc jdbc, Clock clock) {
        this.deliveries = deliveries;
        this.workers = workers;
        this.tx = tx;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Page<Delivery> list(TenantId tenant, @Nullable String status, @Nullable UUID installation, @Nullable String cursor, int limit) {
        checkStatus(status, Delivery.STATUSES, "status");
        Long before = Cursor.read(cursor, parts -> parts.size() == 1 ? Long.parseLong(parts.get(0)) : null);
        List<Delivery> rows = tx.executeRead(s -> deliveries.list(tenant, status, installation, before, limit + 1));
        return Page.ofOverfetched(rows, limit, d -> Cursor.of(d.id()));
    }

    public Delivery get(TenantId tenant, long id) {
        return tx.executeRead(s -> deliveries.find(tenant, id)).orElseThrow(() -> ApiException.notFound("Delivery " + id));
    }

    /**
     * Sends deliveries again: those named (when in a replayable state: dead, skipped or filtered),
     * or every one matching the filter. They go to the back of their lanes with a fresh attempt count.
     */
    public List<Long> replay(TenantId tenant, @Nullable List<Long> ids, @Nullable ReplayFilter filter) {
        if ((ids == null) == (filter == null)) {
            throw ApiException.badRequest("Give either ids or a filter ({} replays every dead delivery)");
        }
        if (ids != null && (ids.isEmpty() || ids.size() > MAX_REPLAY_IDS)) {
            throw ApiException.invalid("/ids", "must name 1 to " + MAX_REPLAY_IDS + " deliveries");
        }
        String filterStatus = filter == null || filter.status() == null ? "dead" : filter.status();
        UUID installation = filter == null ? null : filter.installationId();
        if (ids == null) {
            checkStatus(filterStatus, Delivery.REPLAYABLE, "/filter/status");
        }
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        List<Long> replayed = tx.executeWrite(s -> {
            List<Long> r = ids != null ? deliveries.replayIds(tenant, ids, now) : deliveries.replayMatching(tenant, filterStatus, installation, now);
            if (!r.isEmpty()) {
                jdbc.one("SELECT pg_notify(?, '')", rs -> 1, DeliveryOutbox.CHANNEL);
            }
            return r;
        });
        workers.wake();
        return replayed;
    }

    /** Replays every delivery with this status (null: {@code dead}), of this installation when given. */
    public record ReplayFilter(@Nullable String status, @Nullable UUID installationId) { }

    private static void checkStatus(String status, java.util.Set<String> allowed, String where) {
        if (status != null && !allowed.contains(status)) {
            String message = "must be one of " + String.join(", ", allowed.stream().sorted().toList());
            throw where.startsWith("/") ? ApiException.invalid(where, message) : ApiException.invalidParameter(where, message);
        }
    }
}
