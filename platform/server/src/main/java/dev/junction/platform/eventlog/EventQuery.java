package dev.junction.platform.eventlog;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Filters of the event log, shared by queries and the live tail.
 *
 * @param q matches an entry whose user id or dedupe key equals it, or whose name contains it
 *          (case-insensitive)
 */
public record EventQuery(@Nullable UUID installationId, @Nullable String direction, @Nullable String status,
                         @Nullable String name, @Nullable String q, @Nullable Instant since, @Nullable Instant until) {

    /** Whether a record passes the filters (the live tail applies them in memory). */
    public boolean matches(EventRecord e) {
        return (installationId == null || installationId.equals(e.installationId()))
                && (direction == null || direction.equals(e.direction()))
                && (status == null || status.equals(e.status()))
                && (name == null || name.equals(e.name()))
                && (q == null || q.equals(e.userId()) || q.equals(e.dedupeKey())
                    || e.name().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT)))
                && (since == null || !e.recordedAt().isBefore(since))
                && (until == null || e.recordedAt().isBefore(until));
    }
}
