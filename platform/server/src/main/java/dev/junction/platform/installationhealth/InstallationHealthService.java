package dev.junction.platform.installationhealth;

import dev.junction.platform.cohort.CohortSyncService;
import dev.junction.platform.delivery.DeliveryBacklog;
import dev.junction.platform.eventlog.EventId;
import dev.junction.platform.eventlog.InstallationActivity;
import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.objectsync.ObjectSyncService;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/** Computes an installation's health from its event log, deliveries and sync runs. */
@Singleton
class InstallationHealthService {

    /** Most of the last hour failed: failing. */
    static final double FAILING_RATE = 0.5;
    /** A delivery waiting longer than this makes the installation degraded. */
    static final Duration BACKLOG_AGE = Duration.ofMinutes(15);
    private static final int LAST_ERRORS = 5;

    private final InstallationActivity activity;
    private final DeliveryBacklog deliveries;
    private final CohortSyncService cohortSyncs;
    private final ObjectSyncService objectSyncs;
    private final InstallationService installations;
    private final ConnectorRegistry registry;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    InstallationHealthService(InstallationActivity activity, DeliveryBacklog deliveries, CohortSyncService cohortSyncs,
                              ObjectSyncService objectSyncs, InstallationService installations, ConnectorRegistry registry,
                              TransactionOperations<Connection> tx, Clock clock) {
        this.activity = activity;
        this.deliveries = deliveries;
        this.cohortSyncs = cohortSyncs;
        this.objectSyncs = objectSyncs;
        this.installations = installations;
        this.registry = registry;
        this.tx = tx;
        this.clock = clock;
    }

    public InstallationHealth health(TenantId tenant, UUID installationId) {
        Installation installation = installations.get(tenant, installationId); // 404 for another tenant's id
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        Instant hourAgo = now.minus(Duration.ofHours(1));
        Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        Instant dayAgo = now.minus(Duration.ofDays(1));
        Instant lastSync = lastSyncSucceeded(tenant, installationId);
        return tx.executeRead(s -> {
            List<InstallationActivity.Bucket> buckets = activity.buckets(tenant, installationId, firstHour.isBefore(dayAgo) ? firstHour : dayAgo, hourAgo);
            InstallationHealth.Window lastHour = window(buckets, true);
            InstallationHealth.Window lastDay = window(buckets.stream().filter(b -> !b.hour().isBefore(dayAgo.truncatedTo(ChronoUnit.HOURS))).toList(), false);
            DeliveryBacklog.Pending backlog = deliveries.pending(tenant, installationId);
            Long oldestAge = backlog.oldestQueuedAt() == null ? null : Duration.between(backlog.oldestQueuedAt(), now).toSeconds();
            List<InstallationHealth.ErrorLink> errors = activity.lastErrors(tenant, installationId, dayAgo, LAST_ERRORS).stream()
                    .map(e -> {
                        String id = new EventId(e.recordedAt(), e.seq()).toString();
                        return new InstallationHealth.ErrorLink(id, e.recordedAt(), e.kind(), e.name(), e.status(), e.httpStatus(),
                                "/v1/admin/events/" + id);
                    }).toList();
            String[] status = status(installation, lastHour, lastDay, oldestAge);
            return new InstallationHealth(installationId, status[0], status[1], now, lastHour, lastDay,
                    new InstallationHealth.Backlog(backlog.count(), oldestAge),
                    deliveries.lastDelivered(tenant, installationId).orElse(null), lastSync, errors, hours(buckets, firstHour));
        });
    }

    /** The last succeeded cohort or object sync run, each asked of the feature that owns it. */
    private Instant lastSyncSucceeded(TenantId tenant, UUID installationId) {
        Optional<Instant> cohort = cohortSyncs.lastSucceeded(tenant, installationId);
        Optional<Instant> objects = objectSyncs.lastSucceeded(tenant, installationId);
        return Stream.of(cohort, objects).flatMap(Optional::stream).max(Comparator.naturalOrder()).orElse(null);
    }

    private String[] status(Installation installation, InstallationHealth.Window lastHour, InstallationHealth.Window lastDay, Long oldestAge) {
        if (installation.status() != Installation.Status.ENABLED) {
            return new String[] {"disabled", "The installation is disabled"};
        }
        var disabled = registry.find(installation.connector()).flatMap(e -> e.disabledReason());
        if (registry.find(installation.connector()).isEmpty() || disabled.isPresent()) {
            return new String[] {"disabled", "The " + installation.connector() + " connector is unavailable"};
        }
        long hourTotal = total(lastHour);
        if (hourTotal > 0 && lastHour.errorRate() >= FAILING_RATE) {
            return new String[] {"failing", lastHour.errors() + " of " + hourTotal + " entries in the last hour failed"};
        }
        if (lastHour.errors() > 0) {
            return new String[] {"degraded", lastHour.errors() + " failure(s) in the last hour"};
        }
        if (oldestAge != null && oldestAge > BACKLOG_AGE.toSeconds()) {
            return new String[] {"degraded", "A delivery has waited " + Duration.ofSeconds(oldestAge).toMinutes() + " min"};
        }
        if (total(lastDay) == 0) {
            return new String[] {"idle", "Nothing received or sent in the last day"};
        }
        return new String[] {"healthy", "No failures in the last hour"};
    }

    private static long total(InstallationHealth.Window w) {
        return w.inbound().values().stream().mapToLong(Long::longValue).sum() + w.outbound().values().stream().mapToLong(Long::longValue).sum();
    }

    private static InstallationHealth.Window window(List<InstallationActivity.Bucket> buckets, boolean recentOnly) {
        Map<String, Long> inbound = new TreeMap<>();
        Map<String, Long> outbound = new TreeMap<>();
        long errors = 0;
        long total = 0;
        for (InstallationActivity.Bucket b : buckets) {
            long n = recentOnly ? b.recent() : b.count();
            if (n == 0) {
                continue;
            }
            ("inbound".equals(b.direction()) ? inbound : outbound).merge(b.status(), n, Long::sum);
            total += n;
            errors += InstallationActivity.ERROR_STATUSES.contains(b.status()) ? n : 0;
        }
        return new InstallationHealth.Window(inbound, outbound, errors, total == 0 ? 0 : (double) errors / total);
    }

    private static List<InstallationHealth.Hour> hours(List<InstallationActivity.Bucket> buckets, Instant firstHour) {
        Map<Instant, long[]> byHour = new LinkedHashMap<>();
        for (int i = 0; i < 24; i++) {
            byHour.put(firstHour.plus(Duration.ofHours(i)), new long[3]);
        }
        for (InstallationActivity.Bucket b : buckets) {
            long[] h = byHour.get(b.hour());
            if (h == null) {
                continue;
            }
            h["inbound".equals(b.direction()) ? 0 : 1] += b.count();
            h[2] += InstallationActivity.ERROR_STATUSES.contains(b.status()) ? b.count() : 0;
        }
        List<InstallationHealth.Hour> out = new ArrayList<>(24);
        byHour.forEach((start, h) -> out.add(new InstallationHealth.Hour(start, h[0], h[1], h[2])));
        return out;
    }
}
