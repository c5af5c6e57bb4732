package dev.junction.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document, the body of every error response.
 *
 * @param type   URI naming the kind of problem; documented under {@link #TYPE_BASE}
 * @param title  short, human-readable summary of the kind of problem
 * @param status the HTTP status code
 * @param detail explanation of this occurrence; never contains secrets or stack traces
 * @param errors one entry per invalid input field, each with a JSON Pointer into the request
 * @param code   extension member: a machine-readable reason where the problem type has several
 *               (for example a connector's connection check code)
 * @param details extension member: structured facts about this occurrence
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, @Nullable String detail,
                      @Nullable List<FieldError> errors, @Nullable String code,
                      @Nullable Map<String, Object> details) {

    public Problem(String type, String title, int status, String detail, List<FieldError> errors) {
        this(type, title, status, detail, errors, null, null);
    }

    /** Base of our problem type URIs; the README lists every type. */
    public static final String TYPE_BASE = "https://junction.dev/problems/";

    /**
     * One invalid input: where it is and what is wrong with it. A body field is named by
     * {@code pointer} (JSON Pointer, RFC 6901, into the request body); a query or path parameter by
     * {@code parameter}.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(@Nullable String pointer, @Nullable String parameter, String message) {
        public static FieldError body(String pointer, String message) {
            return new FieldError(pointer, null, message);
        }

        public static FieldError parameter(String name, String message) {
            return new FieldError(null, name, message);
        }

        String location() {
            return pointer != null ? pointer : "?" + parameter;
        }
    }
}
