package dev.junction.platform.eventlog;

import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micronaut.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Live-tail subscriptions on this replica. {@link LiveTailNotifications} hands it every committed batch
 * of every replica (PostgreSQL NOTIFY); batches of a tenant with subscribers here are read once
 * and pushed to each subscriber whose filter matches.
 */
@Singleton
public class LiveTail {

    private static final Logger LOG = LoggerFactory.getLogger(LiveTail.class);
    /** How far before a Last-Event-ID a resume looks, to catch entries committed out of order. */
    static final Duration RESUME_LOOKBACK = Duration.ofSeconds(10);
    /** The most entries a resume replays. */
    static final int RESUME_LIMIT = 10_000;
    /** Entries buffered for a slow client before it is disconnected. */
    static final int CLIENT_BUFFER = 10_000;

    private final EventLogService events;
    /**
     * Micronaut's (Serde) mapper, not {@code PlatformJson}: an SSE entry is an HTTP response body
     * and must be byte-for-byte the JSON that {@code GET /v1/admin/events/{id}} answers for it.
     */
    private final JsonMapper json;
    private final Map<TenantId, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();

    LiveTail(EventLogService events, JsonMapper json) {
        this.events = events;
        this.json = json;
    }

    /**
     * An entry on its way to clients, with its SSE data already written: an entry goes to every
     * matching client of the tenant, so it is serialised once, not once per client.
     */
    public record LiveEntry(EventRecord record, String json) { }

    private LiveEntry entry(EventRecord e) {
        try {
            return new LiveEntry(e, new String(json.writeValueAsBytes(EventView.full(e)), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** One connected client. */
    final class Subscriber {
        private final TenantId tenant;
        private final EventQuery filter;
        private final Sinks.Many<LiveEntry> sink = Sinks.many().unicast().onBackpressureBuffer(
                new java.util.concurrent.ArrayBlockingQueue<>(CLIENT_BUFFER));
        private final Set<Long> replayed = ConcurrentHashMap.newKeySet();

        Subscriber(TenantId tenant, EventQuery filter) {
            this.tenant = tenant;
            this.filter = filter;
        }

        void offer(LiveEntry entry) {
            EventRecord e = entry.record();
            if (!filter.matches(e) || replayed.remove(e.seq())) {
                return;
            }
            Sinks.EmitResult r = sink.tryEmitNext(entry);
            if (r.isFailure() && r != Sinks.EmitResult.FAIL_CANCELLED && r != Sinks.EmitResult.FAIL_TERMINATED) {
                LOG.warn("Live-tail client of tenant {} is too slow ({}); disconnecting it", tenant, r);
                sink.tryEmitError(new IllegalStateException("client too slow"));
                unsubscribe(this);
            }
        }
    }

    /**
     * The entries of the tenant matching {@code filter} as they are committed, on any replica.
     * With {@code resumeAfter} (a Last-Event-ID), entries recorded since shortly before it are
     * replayed first: at least once, so a client may see an entry it had; ids are unique.
     */
    public Flux<LiveEntry> subscribe(TenantId tenant, EventQuery filter, EventId resumeAfter) {
        Subscriber s = new Subscriber(tenant, filter);
        subscribers.computeIfAbsent(tenant, t -> new CopyOnWriteArraySet<>()).add(s);
        Flux<LiveEntry> live = s.sink.asFlux().doFinally(signal -> unsubscribe(s));
        if (resumeAfter == null) {
            return live;
        }
        List<EventRecord> replay = events.since(tenant, resumeAfter.recordedAt().minus(RESUME_LOOKBACK), RESUME_LIMIT)
                .stream().filter(filter::matches).filter(e -> !e.eventId().equals(resumeAfter)).toList();
        replay.forEach(e -> s.replayed.add(e.seq()));
        return Flux.concat(Flux.fromIterable(replay).map(this::entry), live);
    }

    /** A batch was committed (on any replica). */
    void onBatch(TenantId tenant, java.util.UUID batch, @io.micronaut.core.annotation.Nullable Instant recordedAt) {
        Set<Subscriber> here = subscribers.get(tenant);
        if (here == null || here.isEmpty()) {
            return;
        }
        for (EventRecord e : events.batch(tenant, batch, recordedAt)) {
            LiveEntry entry = entry(e);
            here.forEach(s -> s.offer(entry));
        }
    }

    /**
     * The notification connection was lost and is back: replay what was recorded meanwhile to
     * every subscriber (at least once).
     */
    void onReconnected(Instant lostAt) {
        for (Map.Entry<TenantId, Set<Subscriber>> entry : subscribers.entrySet()) {
            if (entry.getValue().isEmpty()) {
                continue;
            }
            Set<Long> seen = new HashSet<>();
            for (EventRecord e : events.since(entry.getKey(), lostAt.minus(RESUME_LOOKBACK), RESUME_LIMIT)) {
                if (seen.add(e.seq())) {
                    LiveEntry live = entry(e);
                    entry.getValue().forEach(s -> s.offer(live));
                }
            }
        }
    }

    /** Subscribers connected to this replica (for metrics and tests). */
    public int subscriberCount() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    private void unsubscribe(Subscriber s) {
        Set<Subscriber> set = subscribers.get(s.tenant);
        if (set != null) {
            set.remove(s);
        }
    }
}
