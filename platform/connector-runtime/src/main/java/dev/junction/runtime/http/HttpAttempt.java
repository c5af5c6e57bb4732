package dev.junction.runtime.http;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One attempt of an outbound call, as recorded in the event log: already masked and truncated.
 *
 * @param method          HTTP method
 * @param url             URL with secret values masked
 * @param requestHeaders  headers with credentials masked
 * @param requestBody     body text, truncated and masked, or null
 * @param status          response status, or null when no response came
 * @param error           the transport error (timeout, refused, a download broken off), or null
 * @param responseBody    response text, truncated and masked, or null; for a body streamed to the
 *                        connector, a note of how many bytes it read (the body is not recorded)
 * @param startedAt       when the attempt started
 * @param latency         how long it took
 * @param attempt         1 for the first attempt
 * @param outcome         what the client does next
 */
public record HttpAttempt(String method, String url, Map<String, List<String>> requestHeaders, String requestBody,
                          Integer status, String error, String responseBody, Instant startedAt, Duration latency,
                          int attempt, Outcome outcome) {

    /** What followed the attempt. */
    public enum Outcome {
        /** The response goes back to the connector. */
        RETURNED,
        /** Rate limited: waiting for the reset, then again. */
        RATE_LIMITED_RETRYING,
        /** Server error or transport failure: backing off, then again. */
        RETRYING,
        /** Given up: the connector gets a retriable failure. */
        GAVE_UP
    }
}
