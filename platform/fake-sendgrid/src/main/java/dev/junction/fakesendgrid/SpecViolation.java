package dev.junction.fakesendgrid;

import java.time.Instant;
import java.util.List;

/**
 * A request that did not conform to SendGrid's OpenAPI documents.
 *
 * @param at when the request arrived
 * @param method the HTTP method
 * @param path the request path (without query)
 * @param operationId the spec's operationId of the matched operation, or null when no operation matched
 * @param problems what was wrong, one line each (for example {@code body /contacts: string found, array expected})
 */
public record SpecViolation(Instant at, String method, String path, String operationId, List<String> problems) {
    /**
     * Creates a violation, copying the list.
     *
     * @param at when the request arrived
     * @param method the HTTP method
     * @param path the path
     * @param operationId the operationId or null
     * @param problems the problems (copied)
     */
    public SpecViolation {
        problems = List.copyOf(problems);
    }

    @Override
    public String toString() {
        return method + " " + path + (operationId == null ? "" : " (" + operationId + ")") + ": " + String.join("; ", problems);
    }
}
