package dev.junction.fakeklaviyo;

import java.time.Duration;
import java.time.Instant;

/**
 * One request the fake answered.
 *
 * @param at when it arrived
 * @param method HTTP method
 * @param path the request path
 * @param query the raw query string, or null
 * @param operationId the spec's operationId, or null when no operation matched
 * @param status the status answered
 * @param bodyBytes the size of the request body
 * @param body the request body (up to the recording limit), or null
 * @param duration time from arrival until the answer was ready
 */
public record RecordedRequest(Instant at, String method, String path, String query, String operationId, int status,
        int bodyBytes, String body, Duration duration) {
}
