package dev.junction.platform.ingest;

import dev.junction.platform.metrics.PlatformMetrics;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The tracking API, compatible with Segment's HTTP Tracking API so that Segment and RudderStack
 * SDKs pointed at Junction just work: {@code POST /v1/identify}, {@code /v1/track}, {@code /v1/page}
 * and {@code /v1/batch}, authenticated by a source's write key as the HTTP Basic user name (or
 * {@code writeKey} in the body). Everything that answers 400 or 413 is checked in memory; then the
 * valid messages are committed to the ingest inbox and answered 200 (stored behind the ack, once
 * per messageId: duplicates are no longer counted in the answer).
 *
 * <p>Bad messages in a batch are reported by index and the others are kept (200, with
 * {@code errors}); a request with nothing valid is a 400 problem. Bodies over Segment's limits
 * (32 KB for one message, 500 KB for a batch) are refused with 413.
 */
@Controller("/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
class TrackingController {

    static final List<String> ENDPOINTS = List.of("/v1/identify", "/v1/track", "/v1/page", "/v1/batch");

    private final HttpSourceService sources;
    private final IngestService ingest;
    private final Clock clock;

    private final PlatformMetrics metrics;

    TrackingController(HttpSourceService sources, IngestService ingest, Clock clock, PlatformMetrics metrics) {
        this.metrics = metrics;
        this.sources = sources;
        this.ingest = ingest;
        this.clock = clock;
    }

    /** Segment answers {@code {"success": true}}; we add what happened to each message. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record TrackingReceipt(boolean success, int accepted, List<MessageErrorView> errors) { }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MessageErrorView(int index, @JsonProperty("messageId") String messageId, String detail) { }

    @Post("/identify")
    @Consumes(MediaType.ALL)
    TrackingReceipt identify(HttpRequest<?> request, @Body byte[] body) {
        return single("identify", request, body);
    }

    @Post("/track")
    @Consumes(MediaType.ALL)
    TrackingReceipt track(HttpRequest<?> request, @Body byte[] body) {
        return single("track", request, body);
    }

    @Post("/page")
    @Consumes(MediaType.ALL)
    TrackingReceipt page(HttpRequest<?> request, @Body byte[] body) {
        return single("page", request, body);
    }

    @Post("/batch")
    @Consumes(MediaType.ALL)
    TrackingReceipt batch(HttpRequest<?> request, @Body byte[] body) {
        limit(body, MessageParser.MAX_BATCH_BYTES, "batch");
        return parseAndStore(request, true, now -> MessageParser.batch(body, now));
    }

    private TrackingReceipt single(String type, HttpRequest<?> request, byte[] body) {
        limit(body, MessageParser.MAX_MESSAGE_BYTES, "message");
        return parseAndStore(request, false, now -> MessageParser.single(type, body, now));
    }

    /** Reads a body as of one instant. */
    @FunctionalInterface
    private interface BodyParse {
        MessageParser.Parsed parse(Instant receivedAt) throws MessageParser.UnreadableBody;
    }

    private TrackingReceipt parseAndStore(HttpRequest<?> request, boolean batch, BodyParse parse) {
        Instant now = now();
        MessageParser.Parsed parsed;
        try {
            parsed = parse.parse(now);
        } catch (MessageParser.UnreadableBody e) {
            authenticate(request, null); // an unauthenticated caller learns nothing about the body
            throw ApiException.badRequest(e.getMessage());
        }
        return store(request, parsed, now, batch);
    }

    private TrackingReceipt store(HttpRequest<?> request, MessageParser.Parsed parsed, Instant now, boolean batch) {
        WriteKeyLookup.SourceRef source = authenticate(request, parsed.bodyWriteKey());
        List<MessageErrorView> errors = parsed.errors().stream()
                .map(e -> new MessageErrorView(e.index(), e.messageId(), e.detail())).toList();
        metrics.trackedMessages("invalid", errors.size());
        if (parsed.messages().isEmpty()) {
            if (errors.isEmpty()) {
                return new TrackingReceipt(true, 0, List.of());
            }
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-messages", "No valid message",
                    errors.size() == 1 ? errors.get(0).detail() : "None of the " + errors.size() + " messages is valid",
                    errors.stream().map(e -> Problem.FieldError.body(batch ? "/batch/" + e.index() : "", e.detail())).toList());
        }
        int queued = ingest.queue(source, parsed.messages(), now);
        return new TrackingReceipt(true, queued, errors);
    }

    private WriteKeyLookup.SourceRef authenticate(HttpRequest<?> request, String bodyWriteKey) {
        String key = basicUser(request.getHeaders().get("Authorization"));
        if (key == null) {
            key = bodyWriteKey;
        }
        return sources.authenticate(key).orElseThrow(WriteKeyRequiredException::new);
    }

    /** The user name of an HTTP Basic header (Segment: the write key, with an empty password). */
    static String basicUser(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static void limit(byte[] body, int max, String what) {
        if (body.length > max) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload-too-large", "Payload too large",
                    "A " + what + " is limited to " + max + " bytes; this one has " + body.length, List.of());
        }
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    /** No live write key: answered with a Basic challenge, as Segment's API does. */
    static final class WriteKeyRequiredException extends ApiException {
        WriteKeyRequiredException() {
            super(HttpStatus.UNAUTHORIZED, "write-key-required", "Write key required",
                    "Send a source's write key as the HTTP Basic user name (empty password)", List.of());
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("WWW-Authenticate", "Basic realm=\"junction-tracking\"");
        }
    }
}
