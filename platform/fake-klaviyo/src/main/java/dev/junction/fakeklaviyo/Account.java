package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything of the fake account but profiles: lists and memberships, metrics, events (with unique_id dedupe),
 * segments and webhooks. Every method synchronizes on this object.
 */
final class Account {
    static final String ACCOUNT_ID = "FakeKl";

    /** A list; members map profile id to the time it joined. */
    static final class KList {
        final String id;
        final Instant created;
        String name;
        Instant updated;
        final NavigableMap<String, Instant> members = new ConcurrentSkipListMap<>();

        KList(String id, String name, Instant created) {
            this.id = id;
            this.name = name;
            this.created = created;
            this.updated = created;
        }

        FakeList snapshot() {
            return new FakeList(id, name, members.size(), created, updated);
        }
    }

    record Metric(String id, String name, Instant created) {}

    record Segment(String id, String name, Instant created, NavigableMap<String, Instant> members) {}

    record Webhook(String id, String name, String description, String endpointUrl, String secretKey,
            List<String> topics, boolean enabled, Instant created) {}

    /** G9: the topics the fake offers (Klaviyo's list depends on the account's metrics). */
    static final List<String> TOPICS = List.of("event:klaviyo.bounced_email", "event:klaviyo.clicked_email",
            "event:klaviyo.marked_email_as_spam", "event:klaviyo.opened_email", "event:klaviyo.received_email",
            "event:klaviyo.subscribed_to_list", "event:klaviyo.unsubscribed", "event:klaviyo.unsubscribed_from_list");

    private final AtomicLong sequence = new AtomicLong();
    final NavigableMap<String, KList> lists = new TreeMap<>();
    final NavigableMap<String, Metric> metrics = new TreeMap<>();
    final NavigableMap<String, FakeEvent> events = new ConcurrentSkipListMap<>();
    private final Set<String> eventKeys = new HashSet<>();
    final NavigableMap<String, Segment> segments = new TreeMap<>();
    final NavigableMap<String, Webhook> webhooks = new TreeMap<>();
    private long duplicateEvents;

    /** Six-character ids like Klaviyo's list and metric ids, sorting in creation order. */
    synchronized String shortId(char prefix) {
        long n = sequence.incrementAndGet();
        String base36 = Long.toString(n, 36).toUpperCase(java.util.Locale.ROOT);
        return prefix + "0000".substring(Math.min(4, base36.length() - 1)) + base36;
    }

    synchronized void clear() {
        lists.clear();
        metrics.clear();
        events.clear();
        eventKeys.clear();
        segments.clear();
        webhooks.clear();
        duplicateEvents = 0;
    }

    synchronized KList createList(String name, Instant now) {
        KList list = new KList(shortId('L'), name, now);
        lists.put(list.id, list);
        return list;
    }

    synchronized KList list(String id) {
        return found(lists, id, "A list");
    }

    synchronized void renameList(String id, String name, Instant now) {
        KList list = list(id);
        list.name = name;
        list.updated = now;
    }

    synchronized void deleteList(String id) {
        list(id);
        lists.remove(id);
    }

    synchronized List<KList> listsSnapshot() {
        return new ArrayList<>(lists.values());
    }

    synchronized void addMembers(String listId, List<String> profileIds, Instant now) {
        KList list = list(listId);
        for (String id : profileIds) {
            list.members.putIfAbsent(id, now);
        }
    }

    synchronized void removeMembers(String listId, List<String> profileIds) {
        KList list = list(listId);
        profileIds.forEach(list.members::remove);
    }

    synchronized Metric metricByName(String name, Instant now) {
        for (Metric m : metrics.values()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        Metric m = new Metric(shortId('M'), name, now);
        metrics.put(m.id(), m);
        return m;
    }

    synchronized Metric metric(String id) {
        return found(metrics, id, "A metric");
    }

    /**
     * Records an event unless one with the same profile, metric and unique_id exists (the spec: "If a unique_id is
     * repeated for the same profile and metric ... no events will be processed"; without one the time to the
     * second stands in). Returns the event, or null for a duplicate.
     */
    synchronized FakeEvent recordEvent(String metricName, String profileId, String uniqueId, Double value,
            JsonNode properties, Instant time, Instant now) {
        Metric metric = metricByName(metricName, now);
        String unique = uniqueId != null ? uniqueId : String.valueOf(time.getEpochSecond());
        if (!eventKeys.add(profileId + "\u0000" + metric.id() + "\u0000" + unique)) {
            duplicateEvents++;
            return null;
        }
        ObjectNode props = properties != null && properties.isObject() ? (ObjectNode) properties.deepCopy()
                : JsonApi.object();
        FakeEvent event = new FakeEvent(shortId('E') + "-" + metric.id(), metricName, profileId, unique, value, props,
                time);
        events.put(event.id(), event);
        return event;
    }

    synchronized long duplicateEvents() {
        return duplicateEvents;
    }

    synchronized FakeEvent event(String id) {
        return found(events, id, "An event");
    }

    synchronized Segment addSegment(String name, List<String> profileIds, Instant now) {
        NavigableMap<String, Instant> members = new ConcurrentSkipListMap<>();
        profileIds.forEach(id -> members.put(id, now));
        Segment s = new Segment(shortId('S'), name, now, members);
        segments.put(s.id(), s);
        return s;
    }

    synchronized Segment segment(String id) {
        return found(segments, id, "A segment");
    }

    synchronized Webhook addWebhook(String name, String description, String url, String secret, List<String> topics,
            Instant now) {
        for (String t : topics) {
            if (!TOPICS.contains(t)) {
                throw ApiException.invalid("Unknown webhook topic '" + t + "'.",
                        "/data/relationships/webhook-topics/data");
            }
        }
        Webhook w = new Webhook("W" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 25), name,
                description, url, secret, List.copyOf(topics), true, now);
        webhooks.put(w.id(), w);
        return w;
    }

    synchronized Webhook webhook(String id) {
        return found(webhooks, id, "A webhook");
    }

    synchronized void deleteWebhook(String id) {
        webhook(id);
        webhooks.remove(id);
    }

    synchronized List<Webhook> webhooksFor(String topic) {
        return webhooks.values().stream().filter(w -> w.enabled() && w.topics().contains(topic)).toList();
    }

    synchronized Map<String, Integer> listSizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        lists.values().forEach(l -> sizes.put(l.id, l.members.size()));
        return sizes;
    }

    /** The entry with this id, or Klaviyo's 404 naming it ("A list with id ... does not exist."). */
    private static <T> T found(Map<String, T> byId, String id, String what) {
        T t = byId.get(id);
        if (t == null) {
            throw ApiException.notFound(what + " with id " + id + " does not exist.");
        }
        return t;
    }
}
