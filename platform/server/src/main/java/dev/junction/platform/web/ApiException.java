package dev.junction.platform.web;

import io.micronaut.http.HttpStatus;

import java.util.List;
import java.util.Map;

/**
 * A failure the client can act on, rendered as {@code application/problem+json}. The message is
 * shown to the client as the problem's {@code detail}: never put secret values in it.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(HttpStatus status, String type, String title, String detail,
                        List<Problem.FieldError> errors) {
        this(status, type, title, detail, errors, null, null);
    }

    public ApiException(HttpStatus status, String type, String title, String detail,
                        List<Problem.FieldError> errors, String code, Map<String, Object> details) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.code = code;
        this.details = details;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " does not exist", List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict", detail, List.of());
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail, List.of());
    }

    public static ApiException invalid(String pointer, String message) {
        return invalid(List.of(Problem.FieldError.body(pointer, message)));
    }

    public static ApiException invalidParameter(String name, String message) {
        return invalid(List.of(Problem.FieldError.parameter(name, message)));
    }

    public static ApiException invalid(List<Problem.FieldError> errors) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "validation", "Invalid request",
                "The request has " + errors.size() + " invalid field(s)", errors);
    }

    public static ApiException unprocessable(String type, String title, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, type, title, detail, List.of());
    }

    public HttpStatus status() { return status; }

    /** Headers the response must carry (a challenge, a retry hint); none by default. */
    public Map<String, String> headers() {
        return Map.of();
    }

    public Problem toProblem() {
        return new Problem(Problem.TYPE_BASE + type, title, status.getCode(), getMessage(), errors, code, details);
    }
}
