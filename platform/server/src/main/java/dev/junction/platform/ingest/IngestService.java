package dev.junction.platform.ingest;

import dev.junction.platform.tracing.Tracing;
import dev.junction.platform.metrics.PlatformMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.delivery.DeliveryOutbox;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.inbox.Inbox;
import dev.junction.platform.profile.ProfileStore;
import dev.junction.platform.profile.ProfileUpdate;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracking API's two halves. On the request path {@link #queue} commits a request's valid
 * messages to the ingest inbox (the sender hears 200 after that commit); behind it,
 * {@link TrackingInboxHandler} calls {@link #store}, which stores them once per messageId and, in
 * the processor's transaction, updates the profile store, queues the deliveries and records the
 * events in the live event log.
 */
@Singleton
class IngestService {

    /** The Segment e-commerce event whose revenue (or total) adds up to a user's lifetime value. */
    static final String ORDER_COMPLETED = "Order Completed";

    private final Tracing tracing;
    private final TrackedEventRepository events;
    private final ProfileStore profiles;
    private final DeliveryOutbox outbox;
    private final EventLogService eventLog;
    private final TransactionOperations<Connection> tx;
    private final PlatformMetrics metrics;
    private final Inbox inbox;

    IngestService(TrackedEventRepository events, ProfileStore profiles, DeliveryOutbox outbox, EventLogService eventLog,
                  TransactionOperations<Connection> tx, PlatformMetrics metrics, Tracing tracing, Inbox inbox) {
        this.inbox = inbox;
        this.tracing = tracing;
        this.metrics = metrics;
        this.events = events;
        this.profiles = profiles;
        this.outbox = outbox;
        this.eventLog = eventLog;
        this.tx = tx;
    }

    /** How many messages were new, and how many repeated a messageId already stored. */
    record Receipt(int accepted, int duplicates) { }

    /** Commits valid messages to the inbox (429/503 past its bounds); how many were queued. */
    int queue(WriteKeyLookup.SourceRef source, List<TrackedMessage> messages, Instant receivedAt) {
        byte[] body;
        try {
            body = PlatformJson.MAPPER.writeValueAsBytes(messages);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("tracked messages did not serialise", e);
        }
        // each source keeps its order
        tracing.span("tracking.queue", () -> inbox.append(source.tenant(), source.sourceId(), TrackingInboxHandler.KIND, receivedAt,
                messages.size(), Map.of(), body));
        return messages.size();
    }

    /** Stores queued messages (inside the inbox processor's transaction). */
    Receipt store(WriteKeyLookup.SourceRef source, List<TrackedMessage> messages, Instant receivedAt) {
        Map<String, TrackedMessage> unique = new LinkedHashMap<>();
        messages.forEach(m -> unique.putIfAbsent(m.messageId(), m));
        if (unique.isEmpty()) {
            return new Receipt(0, 0);
        }
        int stored = tx.executeWrite(s -> {
            Map<String, Long> fresh = events.insertNew(source.tenant(), source.sourceId(), List.copyOf(unique.values()), receivedAt);
            List<TrackedMessage> accepted = unique.values().stream().filter(m -> fresh.containsKey(m.messageId())).toList();
            if (accepted.isEmpty()) {
                return 0;
            }
            updateProfiles(source, accepted, receivedAt);
            outbox.enqueue(source.tenant(), accepted.stream()
                    .map(m -> new DeliveryOutbox.QueuedEvent(fresh.get(m.messageId()), m.userKey())).toList(), receivedAt);
            eventLog.record(source.tenant(), accepted.stream().map(m -> logEntry(source, m)).toList());
            return accepted.size();
        });
        metrics.trackedMessages("accepted", stored);
        metrics.trackedMessages("duplicate", messages.size() - stored);
        return new Receipt(stored, messages.size() - stored);
    }

    private void updateProfiles(WriteKeyLookup.SourceRef source, List<TrackedMessage> accepted, Instant now) {
        Map<String, Accumulated> byUser = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (TrackedMessage m : accepted) {
            if (m.userId() != null && m.anonymousId() != null) {
                aliases.put(m.anonymousId(), m.userId());
            }
            if ("identify".equals(m.type())) {
                Accumulated a = byUser.computeIfAbsent(m.userKey(), k -> new Accumulated());
                if (m.message().get("traits") instanceof ObjectNode traits) {
                    traits.fields().forEachRemaining(f -> a.traits.put(f.getKey(), PlatformJson.MAPPER.convertValue(f.getValue(), Object.class)));
                }
            } else if ("track".equals(m.type()) && ORDER_COMPLETED.equals(m.event())) {
                BigDecimal amount = orderAmount(m.message().get("properties"));
                Accumulated a = byUser.computeIfAbsent(m.userKey(), k -> new Accumulated());
                a.amount = a.amount.add(amount == null ? BigDecimal.ZERO : amount);
                a.orders++;
                a.lastOrderAt = a.lastOrderAt == null || m.occurredAt().isAfter(a.lastOrderAt) ? m.occurredAt() : a.lastOrderAt;
            }
        }
        List<ProfileUpdate> updates = new ArrayList<>(byUser.size());
        byUser.forEach((user, a) -> updates.add(new ProfileUpdate(user, a.traits, a.orders == 0 ? null : a.amount, a.orders, a.lastOrderAt)));
        profiles.apply(source.tenant(), updates, aliases, now);
    }

    /** Segment's order amount: {@code revenue}, else {@code total}; numbers or numeric strings. */
    static BigDecimal orderAmount(JsonNode properties) {
        if (properties == null) {
            return null;
        }
        for (String field : List.of("revenue", "total")) {
            JsonNode v = properties.get(field);
            if (v != null && v.isNumber()) {
                return v.decimalValue();
            }
            if (v != null && v.isTextual()) {
                try {
                    return new BigDecimal(v.asText().strip());
                } catch (NumberFormatException notANumber) {
                    // try the next field
                }
            }
        }
        return null;
    }

    private static final class Accumulated {
        final Map<String, Object> traits = new LinkedHashMap<>();
        BigDecimal amount = BigDecimal.ZERO;
        long orders;
        Instant lastOrderAt;
    }

    private static NewEvent logEntry(WriteKeyLookup.SourceRef source, TrackedMessage m) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("source_id", source.sourceId());
        payload.put("message", m.message());
        return new NewEvent(null, NewEvent.Direction.INBOUND, "tracked_event", m.displayName(), "accepted", null, m.occurredAt(),
                m.userId() != null ? m.userId() : m.anonymousId(), m.messageId(), PlatformJson.write(payload));
    }
}
