package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Resource objects as the spec's response schemas shape them. */
final class Render {
    private final String baseUrl;

    Render(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    ObjectNode profile(Profiles.Profile p) {
        ObjectNode o = JsonApi.resource("profile", p.id, baseUrl, "/api/profiles/" + p.id + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        a.put("email", p.email);
        a.put("phone_number", p.phone);
        a.put("external_id", p.externalId);
        for (String name : Profiles.TEXT_ATTRIBUTES) {
            a.put(name, p.text.get(name));
        }
        a.put("created", JsonApi.time(p.created));
        a.put("updated", JsonApi.time(p.updated));
        a.putNull("last_event_date");
        if (p.location != null) {
            a.set("location", p.location.deepCopy());
        } else {
            a.putObject("location");
        }
        a.set("properties", p.properties.deepCopy());
        return o;
    }

    /** A profile as a member of a list or segment. */
    record Member(Profiles.Profile profile, java.time.Instant joined) {}

    /** A member profile: the profile plus {@code joined_group_at}. */
    ObjectNode member(Member m) {
        ObjectNode o = profile(m.profile());
        ((ObjectNode) o.get("attributes")).put("joined_group_at", JsonApi.time(m.joined()));
        return o;
    }

    ObjectNode list(Account.KList l) {
        ObjectNode o = JsonApi.resource("list", l.id, baseUrl, "/api/lists/" + l.id + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        a.put("name", l.name);
        a.put("created", JsonApi.time(l.created));
        a.put("updated", JsonApi.time(l.updated));
        a.put("opt_in_process", "single_opt_in");
        return o;
    }

    ObjectNode metric(Account.Metric m) {
        ObjectNode o = JsonApi.resource("metric", m.id(), baseUrl, "/api/metrics/" + m.id() + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        a.put("name", m.name());
        a.put("created", JsonApi.time(m.created()));
        a.put("updated", JsonApi.time(m.created()));
        ObjectNode integration = a.putObject("integration");
        integration.put("object", "integration");
        integration.put("id", "0rG4eQ");
        integration.put("key", "api");
        integration.put("name", "API");
        integration.put("category", "API");
        return o;
    }

    ObjectNode event(FakeEvent e, String metricId) {
        ObjectNode o = JsonApi.resource("event", e.id(), baseUrl, "/api/events/" + e.id() + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        a.put("timestamp", e.time().getEpochSecond());
        a.set("event_properties", e.properties().deepCopy());
        a.put("datetime", JsonApi.time(e.time()));
        a.put("uuid", java.util.UUID.nameUUIDFromBytes(e.id().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString());
        ObjectNode rel = o.putObject("relationships");
        rel.putObject("profile").set("data", JsonApi.ref("profile", e.profileId()));
        rel.putObject("metric").set("data", JsonApi.ref("metric", metricId));
        return o;
    }

    ObjectNode segment(Account.Segment s) {
        ObjectNode o = JsonApi.resource("segment", s.id(), baseUrl, "/api/segments/" + s.id() + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        a.put("name", s.name());
        a.put("created", JsonApi.time(s.created()));
        a.put("updated", JsonApi.time(s.created()));
        a.put("is_active", true);
        a.put("is_processing", false);
        a.put("is_starred", false);
        return o;
    }

    ObjectNode webhook(Account.Webhook w) {
        ObjectNode o = JsonApi.resource("webhook", w.id(), baseUrl, "/api/webhooks/" + w.id() + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        a.put("name", w.name());
        a.put("description", w.description());
        a.put("endpoint_url", w.endpointUrl());
        a.put("enabled", w.enabled());
        a.put("created_at", JsonApi.time(w.created()));
        a.put("updated_at", JsonApi.time(w.created()));
        ObjectNode topics = o.putObject("relationships").putObject("webhook-topics");
        w.topics().forEach(t -> topics.withArray("data").add(JsonApi.ref("webhook-topic", t)));
        return o;
    }

    ObjectNode topic(String id) {
        ObjectNode o = JsonApi.resource("webhook-topic", id, baseUrl, "/api/webhook-topics/" + id + "/");
        ((ObjectNode) o.get("attributes")).put("name", id.substring(id.indexOf('.') + 1).replace('_', ' '));
        return o;
    }

    ObjectNode job(Jobs.Job job, java.time.Instant now) {
        ObjectNode o = JsonApi.resource(job.type, job.id, baseUrl, "/api/" + job.type + "s/" + job.id + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        String status = job.status(now);
        a.put("status", status);
        a.put("created_at", JsonApi.time(job.created));
        a.put("total_count", job.total);
        a.put("completed_count", job.completedCount(now));
        a.put("failed_count", status.equals("complete") ? job.errors.size() : 0);
        a.put("completed_at", status.equals("complete") ? JsonApi.time(job.doneAt) : null);
        a.put("started_at", status.equals("queued") ? null : JsonApi.time(job.startAt));
        a.put("expires_at", JsonApi.time(job.created.plus(java.time.Duration.ofDays(7))));
        if (!job.listIds.isEmpty()) {
            ObjectNode lists = o.putObject("relationships").putObject("lists");
            job.listIds.forEach(id -> lists.withArray("data").add(JsonApi.ref("list", id)));
        }
        return o;
    }

    ObjectNode importError(Jobs.ItemError e) {
        ObjectNode o = JsonApi.object();
        o.put("type", "import-error");
        o.put("id", e.id());
        ObjectNode a = o.putObject("attributes");
        a.put("code", e.code());
        a.put("title", e.title());
        a.put("detail", e.detail());
        a.putObject("source").put("pointer", e.pointer());
        a.set("original_payload", e.originalPayload());
        return o;
    }
}
