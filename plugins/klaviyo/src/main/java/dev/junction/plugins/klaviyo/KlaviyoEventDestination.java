package dev.junction.plugins.klaviyo;

import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.destination.DeliveryOutcome;
import dev.junction.spi.destination.DestinationEvent;
import dev.junction.spi.destination.EventDestination;
import org.pf4j.Extension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Delivers a tenant's identify, track and page events to Klaviyo ({@code event_destination}):
 * identify creates or updates the profile, track and page become events ({@link KlaviyoEventMapping}).
 *
 * <p>Events are sent one request each, in order, so that a user's profile changes and events keep
 * their order and each event gets Klaviyo's own answer. Both requests are idempotent: the profile
 * import is an upsert, and an event carries its id as {@code unique_id}, which Klaviyo deduplicates
 * per profile and metric. That is why a batch is simply sent again after a 429 or 5xx that outlasts
 * the client's retries ({@link RetriableConnectorException}, with Klaviyo's wait): what was already
 * delivered is neither duplicated nor counted twice. A 4xx rejects only its event, with Klaviyo's
 * error detail; a 401 ends the batch for good (no call with this key can succeed). See
 * plugins/klaviyo/README.md, "Event destination".
 */
@Extension
public final class KlaviyoEventDestination implements EventDestination {

    /**
     * Events per call. The platform paces the installation to the descriptor's 10 requests/s, so 25
     * single-event requests take about 2.5 s, well inside the 60 s the platform gives a call even
     * with a few 429 waits.
     */
    static final int MAX_BATCH_SIZE = 25;
    /** No new request is started after this much of the call's 60 s, so a slow Klaviyo cannot overrun it. */
    static final Duration CALL_BUDGET = Duration.ofSeconds(30);

    @Override
    public int maxBatchSize() {
        return MAX_BATCH_SIZE;
    }

    @Override
    public List<DeliveryOutcome> deliver(ConnectorContext context, List<DestinationEvent> batch) throws ConnectorException {
        KlaviyoEventMapping mapping = new KlaviyoEventMapping(
                context.config().bool(KlaviyoEventMapping.SEND_WITHOUT_CONSENT, false), context.log());
        KlaviyoApi api = null;
        Instant start = context.clock().instant();
        List<DeliveryOutcome> outcomes = new ArrayList<>(batch.size());
        for (DestinationEvent event : batch) {
            KlaviyoEventMapping.Mapped mapped = mapping.map(event);
            if (mapped.outcome() != null) {
                outcomes.add(mapped.outcome());
                continue;
            }
            if (Duration.between(start, context.clock().instant()).compareTo(CALL_BUDGET) > 0) {
                throw new RetriableConnectorException("slow_vendor", "Klaviyo answered too slowly to deliver the batch "
                        + "within one call; it is sent again (delivered events are not duplicated).");
            }
            api = api == null ? new KlaviyoApi(context) : api;
            outcomes.add(send(api, event, mapped));
        }
        return outcomes;
    }

    private static DeliveryOutcome send(KlaviyoApi api, DestinationEvent event, KlaviyoEventMapping.Mapped mapped)
            throws ConnectorException {
        String what = "POST " + mapped.path();
        HttpResult r;
        try {
            r = api.send(prompt(api.withBody(HttpCall.post(api.uri(mapped.path())), mapped.document())), what);
        } catch (PermanentConnectorException e) {
            if (!"forbidden".equals(e.code())) {
                throw e;  // 401: no call with this key can succeed
            }
            // a key may lack events:write but have profiles:write (or the reverse): only this event fails
            return DeliveryOutcome.rejected(event.id(), e.getMessage(), 403);
        }
        if (r.isSuccess()) {
            return DeliveryOutcome.delivered(event.id(), r.status());
        }
        if (r.status() == 429 || r.status() >= 500) {
            throw new RetriableConnectorException("klaviyo_unavailable", "Klaviyo answered " + r.status() + " to " + what
                    + "; the batch is sent again later.", retryAfter(r), null, null);
        }
        String reason = "Klaviyo refused the " + (KlaviyoEventMapping.EVENTS.equals(mapped.path()) ? "event" : "profile")
                + " (" + r.status() + " to " + what + "): " + api.errorMessage(r);
        api.context().log().record(EventLog.Level.WARNING, "event refused", reason,
                Map.of("event_id", event.id(), "status", r.status()));
        return DeliveryOutcome.rejected(event.id(), reason, r.status());
    }

    /**
     * A short retry budget: a longer 429 or outage ends the call with a retriable failure carrying
     * Klaviyo's wait, so that the platform retries the batch after it instead of holding a worker.
     * The requests are idempotent (see the class comment), so a 5xx may be retried.
     */
    private static HttpCall.Builder prompt(HttpCall.Builder call) {
        return call.idempotent(true).timeout(Duration.ofSeconds(8)).maxAttempts(3).maxWait(Duration.ofSeconds(10));
    }

    private static Duration retryAfter(HttpResult r) {
        try {
            return r.header("Retry-After").map(v -> Duration.ofSeconds(Long.parseLong(v.strip()))).orElse(null);
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }
}
