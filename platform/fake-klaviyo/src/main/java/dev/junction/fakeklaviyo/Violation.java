package dev.junction.fakeklaviyo;

import java.time.Instant;

/**
 * A request that broke the spec (or a limit the spec states), as answered.
 *
 * @param at when it arrived
 * @param method HTTP method
 * @param path the request path
 * @param operationId the spec's operationId, or null when no operation matched
 * @param status the status answered
 * @param detail what was wrong
 * @param source the JSON pointer or query parameter at fault, or null
 */
public record Violation(Instant at, String method, String path, String operationId, int status, String detail,
        String source) {
    @Override
    public String toString() {
        return method + " " + path + " (" + operationId + ") -> " + status + ": " + detail
                + (source == null ? "" : " [" + source + "]");
    }
}
