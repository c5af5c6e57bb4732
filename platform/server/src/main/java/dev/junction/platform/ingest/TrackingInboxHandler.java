package dev.junction.platform.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.inbox.InboxEntry;
import dev.junction.platform.inbox.InboxHandler;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Processes tracked messages behind the ack: the inbox entry holds the request's valid messages,
 * already checked in memory ({@link MessageParser}); they are stored in the processor's transaction.
 */
@Singleton
final class TrackingInboxHandler implements InboxHandler {

    static final String KIND = "tracking";
    private static final TypeReference<List<TrackedMessage>> MESSAGES = new TypeReference<>() { };

    private final IngestService ingest;
    private final EventLogService eventLog;

    TrackingInboxHandler(IngestService ingest, EventLogService eventLog) {
        this.ingest = ingest;
        this.eventLog = eventLog;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void process(InboxEntry entry) {
        List<TrackedMessage> messages;
        try {
            messages = PlatformJson.MAPPER.readValue(entry.body(), MESSAGES);
        } catch (IOException e) {
            giveUp(entry, "unreadable queued messages (" + e.getClass().getSimpleName() + ")");
            return;
        }
        ingest.store(new WriteKeyLookup.SourceRef(entry.tenant(), entry.stream()), messages, entry.receivedAt());
    }

    @Override
    public void giveUp(InboxEntry entry, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("reason", reason);
        payload.put("source_id", entry.stream());
        payload.put("body_bytes", entry.body().length);
        try {
            payload.put("body", PlatformJson.MAPPER.readTree(entry.body()));
        } catch (IOException notJson) {
            // the reason and size stand alone
        }
        eventLog.record(entry.tenant(), List.of(new NewEvent(null, NewEvent.Direction.INBOUND, "tracking_rejected",
                "tracked messages failed", "failed", null, null, null, null, PlatformJson.write(payload))));
    }
}
