package dev.junction.platform.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.PlatformJson;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads tracking API bodies as Segment's HTTP Tracking API specifies them: one message for
 * {@code /v1/identify}, {@code /v1/track} and {@code /v1/page}, or {@code {"batch": [...]}} for
 * {@code /v1/batch}. Each message is checked on its own, so one bad message in a batch does not
 * cost the others.
 */
final class MessageParser {

    /** Segment's limits: 32 KB per message, 500 KB per batch request. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;
    static final int MAX_ID_LENGTH = 256;
    static final Set<String> TYPES = Set.of("identify", "track", "page");

    /** A message that could not be accepted, by its index in the request (0 for single messages). */
    record MessageError(int index, String messageId, String detail) { }

    /** The outcome of reading a request body. */
    record Parsed(List<TrackedMessage> messages, List<MessageError> errors, String bodyWriteKey) {
        @Override
        public String toString() {
            return "Parsed[messages=" + messages.size() + ", errors=" + errors + ", bodyWriteKey="
                    + (bodyWriteKey == null ? null : "<redacted>") + "]";
        }
    }

    /** A body that is not JSON of the expected shape at all. */
    static final class UnreadableBody extends Exception {
        UnreadableBody(String message) {
            super(message, null, false, false);
        }
    }

    private MessageParser() {
    }

    /** A single-message body for {@code type}. */
    static Parsed single(String type, byte[] body, Instant receivedAt) throws UnreadableBody {
        JsonNode node = readTree(body);
        if (!(node instanceof ObjectNode message)) {
            throw new UnreadableBody("The body must be a JSON object");
        }
        String writeKey = text(message.get("writeKey"));
        List<TrackedMessage> ok = new ArrayList<>(1);
        List<MessageError> errors = new ArrayList<>(1);
        accept(0, message, type, receivedAt, null, ok, errors);
        return new Parsed(ok, errors, writeKey);
    }

    /**
     * A {@code {"batch": [...]}} body. Streams through it to measure each message's size as sent,
     * without serialising anything again.
     */
    static Parsed batch(byte[] body, Instant receivedAt) throws UnreadableBody {
        List<TrackedMessage> ok = new ArrayList<>();
        List<MessageError> errors = new ArrayList<>();
        String writeKey = null;
        Instant sentAt = null;
        List<ObjectNode> pending = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        boolean sawBatch = false;
        try (JsonParser p = PlatformJson.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableBody("The body must be a JSON object with a \"batch\" array");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "batch" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new UnreadableBody("\"batch\" must be an array of messages");
                        }
                        sawBatch = true;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            long start = p.currentTokenLocation().getByteOffset();
                            JsonNode element = p.readValueAsTree();
                            long end = p.currentLocation().getByteOffset();
                            pending.add(element instanceof ObjectNode o ? o : null);
                            sizes.add((int) Math.min(Integer.MAX_VALUE, end - start));
                        }
                    }
                    case "writeKey" -> writeKey = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "sentAt" -> sentAt = value == JsonToken.VALUE_STRING ? instantOrNull(p.getText()) : null;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UnreadableBody("The body is not valid JSON");
        }
        if (!sawBatch) {
            throw new UnreadableBody("The body must be a JSON object with a \"batch\" array");
        }
        for (int i = 0; i < pending.size(); i++) {
            ObjectNode message = pending.get(i);
            if (message == null) {
                errors.add(new MessageError(i, null, "a message must be a JSON object"));
            } else if (sizes.get(i) > MAX_MESSAGE_BYTES) {
                errors.add(new MessageError(i, text(message.get("messageId")), "the message is " + sizes.get(i)
                        + " bytes; messages are limited to " + MAX_MESSAGE_BYTES + " bytes"));
            } else {
                accept(i, message, text(message.get("type")), receivedAt, sentAt, ok, errors);
            }
        }
        return new Parsed(ok, errors, writeKey);
    }

    private static void accept(int index, ObjectNode m, String type, Instant receivedAt, Instant batchSentAt,
                               List<TrackedMessage> ok, List<MessageError> errors) {
        String messageId = text(m.get("messageId"));
        String problem = check(m, type, messageId);
        if (problem != null) {
            errors.add(new MessageError(index, messageId, problem));
            return;
        }
        Instant occurredAt;
        try {
            occurredAt = occurredAt(m, receivedAt, batchSentAt);
        } catch (DateTimeParseException e) {
            errors.add(new MessageError(index, messageId, "timestamp, originalTimestamp and sentAt must be ISO-8601 date-times"));
            return;
        }
        ObjectNode stored = m.deepCopy();
        removeCredentials(stored);
        stored.put("type", type);
        if (messageId == null) {
            messageId = "junction-" + UUID.randomUUID();
            stored.put("messageId", messageId);
        }
        stored.put("receivedAt", receivedAt.toString());
        String event = switch (type) {
            case "track" -> text(m.get("event"));
            case "page" -> text(m.get("name"));
            default -> null;
        };
        ok.add(new TrackedMessage(messageId, type, event, id(m.get("userId")), id(m.get("anonymousId")), occurredAt, stored));
    }

    /**
     * Fields a Segment client may put in a message that are credentials: the write key
     * authenticates the request and must never reach storage, where every role can read events.
     */
    static final Set<String> CREDENTIAL_FIELDS = Set.of("writeKey", "write_key");

    private static void removeCredentials(ObjectNode message) {
        message.remove(CREDENTIAL_FIELDS);
        if (message.get("context") instanceof ObjectNode context) {
            context.remove(CREDENTIAL_FIELDS);
        }
    }

    /** Why the message cannot be accepted, or null. */
    private static String check(ObjectNode m, String type, String messageId) {
        if (type == null) {
            return "type is required (identify, track or page)";
        }
        if (!TYPES.contains(type)) {
            return "type \"" + type + "\" is not supported; identify, track and page are";
        }
        JsonNode messageIdNode = m.get("messageId");
        if (messageIdNode != null && !messageIdNode.isNull() && (!messageIdNode.isTextual() || messageId.isBlank()
                || messageId.length() > MAX_ID_LENGTH)) {
            return "messageId must be a non-empty string of at most " + MAX_ID_LENGTH + " characters";
        }
        String userId = id(m.get("userId"));
        String anonymousId = id(m.get("anonymousId"));
        if (userId == null && anonymousId == null) {
            return "userId or anonymousId is required";
        }
        if ((userId != null && userId.length() > MAX_ID_LENGTH) || (anonymousId != null && anonymousId.length() > MAX_ID_LENGTH)) {
            return "userId and anonymousId are limited to " + MAX_ID_LENGTH + " characters";
        }
        if (badId(m.get("userId")) || badId(m.get("anonymousId"))) {
            return "userId and anonymousId must be strings (or numbers)";
        }
        if ("track".equals(type)) {
            String event = text(m.get("event"));
            if (event == null || event.isBlank()) {
                return "event is required for track";
            }
            if (event.length() > 300) {
                return "event names are limited to 300 characters";
            }
        }
        for (String objectField : List.of("traits", "properties", "context", "integrations")) {
            JsonNode v = m.get(objectField);
            if (v != null && !v.isNull() && !v.isObject()) {
                return objectField + " must be an object";
            }
        }
        return null;
    }

    /**
     * Segment's rule: the sender's timestamp when given; otherwise originalTimestamp corrected by
     * the sender's clock skew (receivedAt - sentAt); otherwise when it was received.
     */
    private static Instant occurredAt(ObjectNode m, Instant receivedAt, Instant batchSentAt) {
        String timestamp = text(m.get("timestamp"));
        if (timestamp != null) {
            return instant(timestamp);
        }
        String original = text(m.get("originalTimestamp"));
        String sent = text(m.get("sentAt"));
        Instant sentAt = sent != null ? instant(sent) : batchSentAt;
        if (original != null && sentAt != null) {
            return instant(original).plus(Duration.between(sentAt, receivedAt));
        }
        return original != null ? instant(original) : receivedAt;
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.parse(text);
        }
    }

    private static Instant instantOrNull(String text) {
        try {
            return instant(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode readTree(byte[] body) throws UnreadableBody {
        try {
            JsonNode node = PlatformJson.MAPPER.readTree(body);
            if (node == null) {
                throw new UnreadableBody("The body is empty");
            }
            return node;
        } catch (IOException e) {
            throw new UnreadableBody("The body is not valid JSON");
        }
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** Segment ids are strings; SDKs in typed languages sometimes send numbers, which we accept as text. */
    private static String id(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText().isEmpty() ? null : n.asText();
        }
        return n.isIntegralNumber() ? n.asText() : null;
    }

    private static boolean badId(JsonNode n) {
        return n != null && !n.isNull() && !n.isTextual() && !n.isIntegralNumber();
    }
}
