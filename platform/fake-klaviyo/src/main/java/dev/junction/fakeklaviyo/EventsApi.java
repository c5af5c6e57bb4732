package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakeklaviyo.Call.Reply;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Events (single and bulk job, with unique_id dedupe) and metrics. */
final class EventsApi {
    /** "Accepts up to 1,000 events per request." */
    static final int MAX_BULK_EVENTS = 1000;
    static final String EVENT_JOB = "event-bulk-create-job";

    private final Profiles profiles;
    private final Account account;
    private final Jobs jobs;
    private final Render render;
    private final WebhookSender webhooks;

    EventsApi(Profiles profiles, Account account, Jobs jobs, Render render, WebhookSender webhooks) {
        this.profiles = profiles;
        this.account = account;
        this.jobs = jobs;
        this.render = render;
        this.webhooks = webhooks;
    }

    Reply handle(Call call) {
        return switch (call.operationId()) {
            case "create_event" -> createEvent(call);
            case "bulk_create_events" -> bulkCreate(call);
            case "get_events" -> getEvents(call);
            case "get_event" -> {
                FakeEvent e = account.event(call.pathParam("id"));
                yield new Reply(200, call.single(render.event(e, metricId(e))));
            }
            case "get_metrics" -> new Reply(200, call.page(metrics(), m -> true, render::metric));
            case "get_metric" -> new Reply(200, call.single(render.metric(account.metric(call.pathParam("id")))));
            default -> null;
        };
    }

    private java.util.TreeMap<String, Account.Metric> metrics() {
        synchronized (account) {
            return new java.util.TreeMap<>(account.metrics);
        }
    }

    private String metricId(FakeEvent e) {
        return e.id().substring(e.id().indexOf('-') + 1);
    }

    private Reply getEvents(Call call) {
        List<String> metricIds = call.filterValues("metric_id");
        List<String> profileIds = call.filterValues("profile_id");
        return new Reply(200, call.page(account.events,
                e -> (metricIds == null || metricIds.contains(metricId(e)))
                        && (profileIds == null || profileIds.contains(e.profileId())),
                e -> render.event(e, metricId(e))));
    }

    /** The parts of one event the store needs, checked. */
    private record EventInput(String metric, String profileId, JsonNode profileAttributes, JsonNode profileMeta,
            String uniqueId, Double value, JsonNode properties, Instant time) {}

    private EventInput input(JsonNode attributes, JsonNode profileData, String base, Instant now) {
        String metric = attributes.path("metric").path("data").path("attributes").path("name").asText();
        if (metric.isBlank()) {
            throw ApiException.invalid("A metric name is required.", base + "/metric/data/attributes/name");
        }
        String profileId = profileData.path("id").isTextual() ? profileData.path("id").asText() : null;
        Profiles.checkIdentifiers(profileId, profileData.path("attributes"), base + "/profile/data/attributes");
        Instant time = now;
        String t = JsonApi.text(attributes, "time");
        if (t != null) {
            time = OffsetDateTime.parse(t).toInstant();
        }
        Double value = attributes.path("value").isNumber() ? attributes.path("value").asDouble() : null;
        return new EventInput(metric, profileId, profileData.path("attributes"), profileData.path("meta"),
                JsonApi.text(attributes, "unique_id"), value, attributes.path("properties"), time);
    }

    private FakeEvent record(EventInput in, Instant now) {
        Profiles.Profile p;
        try {
            p = profiles.upsert(in.profileId(), in.profileAttributes(), in.profileMeta(), now).profile();
        } catch (ApiException e) {
            return null;
        }
        FakeEvent event = account.recordEvent(in.metric(), p.id, in.uniqueId(), in.value(), in.properties(),
                in.time(), now);
        if (event != null) {
            webhooks.eventRecorded(event);
        }
        return event;
    }

    /** 202, then recorded at once (G8: Klaviyo processes later; the fake makes the event visible immediately). */
    private Reply createEvent(Call call) {
        JsonNode attributes = call.body().path("data").path("attributes");
        EventInput in = input(attributes, attributes.path("profile").path("data"), "/data/attributes", call.now());
        Profiles.Profile target = in.profileId() != null ? profiles.get(in.profileId()) : null;
        if (in.profileId() != null && target == null) {
            throw ApiException.invalid("A profile with id " + in.profileId() + " does not exist.",
                    "/data/attributes/profile/data/id");
        }
        record(in, call.now());
        return new Reply(202, null);
    }

    private Reply bulkCreate(Call call) {
        JsonNode items = call.body().path("data").path("attributes").path("events-bulk-create").path("data");
        List<EventInput> inputs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i).path("attributes");
            JsonNode profile = item.path("profile").path("data");
            JsonNode events = item.path("events").path("data");
            for (int j = 0; j < events.size(); j++) {
                String base = "/data/attributes/events-bulk-create/data/" + i + "/attributes/events/data/" + j
                        + "/attributes";
                inputs.add(input(events.get(j).path("attributes"), profile, base, call.now()));
            }
        }
        if (inputs.size() > MAX_BULK_EVENTS) {
            throw ApiException.invalid("A job accepts up to " + MAX_BULK_EVENTS + " events; got " + inputs.size()
                    + ".", "/data/attributes/events-bulk-create/data");
        }
        jobs.submit(EVENT_JOB, inputs.size(), List.of(), List.of(), job -> {
            Instant now = Instant.now();
            inputs.forEach(in -> record(in, now));
        });
        return new Reply(202, null);
    }
}
