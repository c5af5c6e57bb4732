package dev.junction.platform.inbox;

import dev.junction.platform.web.ApiException;
import io.micronaut.http.HttpStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The inbox is past a bound: 429 for one tenant's, 503 for the total, with Retry-After. */
final class InboxFullException extends ApiException {

    private final Duration retryAfter;

    private InboxFullException(HttpStatus status, String type, String title, String detail, Duration retryAfter) {
        super(status, type, title, detail, List.of());
        this.retryAfter = retryAfter;
    }

    static InboxFullException tenant(long backlog, long bound, Duration retryAfter) {
        return new InboxFullException(HttpStatus.TOO_MANY_REQUESTS, "ingest-tenant-backlog", "Too many events waiting",
                "This tenant has " + backlog + " events waiting to be processed (bound " + bound + "); retry later", retryAfter);
    }

    static InboxFullException total(Duration retryAfter) {
        return new InboxFullException(HttpStatus.SERVICE_UNAVAILABLE, "ingest-backlog", "Try again later",
                "Too many events are waiting to be processed; retry later", retryAfter);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
}
