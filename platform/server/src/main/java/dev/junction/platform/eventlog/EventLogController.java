package dev.junction.platform.eventlog;

import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** The live event log: query, one entry, and the live tail over Server-Sent Events. */
@Controller("/v1/admin/events")
class EventLogController {

    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound", "internal");
    /** A comment line this often keeps idle SSE connections open through proxies. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final EventLogService events;
    private final LiveTail tail;

    EventLogController(EventLogService events, LiveTail tail) {
        this.events = events;
        this.tail = tail;
    }

    @Get
    @TenantRead
    Page<EventView> list(@QueryValue("installation_id") @Nullable String installationId,
                         @QueryValue @Nullable String direction, @QueryValue @Nullable String status,
                         @QueryValue @Nullable String name, @QueryValue @Nullable String q,
                         @QueryValue @Nullable String since, @QueryValue @Nullable String until,
                         @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor, Caller caller) {
        EventQuery filter = filter(installationId, direction, status, name, q, since, until);
        Page<EventRecord> page = events.query(caller.tenantId(), filter, cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(EventView::summary).toList(), page.nextCursor());
    }

    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    @TenantRead
    Publisher<Event<?>> stream(@QueryValue("installation_id") @Nullable String installationId,
                               @QueryValue @Nullable String direction, @QueryValue @Nullable String status,
                               @QueryValue @Nullable String name, @QueryValue @Nullable String q,
                               @Header("Last-Event-ID") @Nullable String lastEventId, Caller caller) {
        EventQuery filter = filter(installationId, direction, status, name, q, null, null);
        EventId resume = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                resume = EventId.parse(lastEventId.strip());
            } catch (RuntimeException e) {
                throw ApiException.badRequest("Last-Event-ID is not an event id this API sent");
            }
        }
        Flux<Event<?>> entries = tail.subscribe(caller.tenantId(), filter, resume)
                .map(e -> Event.of(e.json()).id(e.record().eventId().toString()).name("event"));
        Flux<Event<?>> heartbeats = Flux.interval(HEARTBEAT).map(i -> Event.of("").comment("keep-alive"));
        return Flux.merge(Flux.just(Event.of("").comment("connected")), entries, heartbeats);
    }

    @Get("/{id}")
    @TenantRead
    EventView get(String id, Caller caller) {
        return EventView.full(events.get(caller.tenantId(), id));
    }

    private static EventQuery filter(String installationId, String direction, String status, String name, String q,
                                     String since, String until) {
        UUID installation = null;
        if (installationId != null) {
            try {
                installation = UUID.fromString(installationId);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter("installation_id", "must be a UUID");
            }
        }
        if (direction != null && !DIRECTIONS.contains(direction.toLowerCase(Locale.ROOT))) {
            throw ApiException.invalidParameter("direction", "must be one of " + DIRECTIONS);
        }
        return new EventQuery(installation, direction == null ? null : direction.toLowerCase(Locale.ROOT),
                blankToNull(status), blankToNull(name), blankToNull(q), instant("since", since), instant("until", until));
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidParameter(parameter, "must be an ISO-8601 instant, e.g. 2026-11-23T10:00:00Z");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
