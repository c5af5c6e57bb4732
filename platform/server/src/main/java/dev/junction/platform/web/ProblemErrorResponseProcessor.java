package dev.junction.platform.web;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * Renders every error the framework produces (no route, wrong method, unreadable body, too large,
 * unauthenticated, forbidden, unhandled exception) as {@code application/problem+json}.
 *
 * <p>The framework's own messages can quote request values (a type mismatch shows the value it
 * could not convert), so they are never forwarded: each status gets a fixed, safe detail. An
 * unhandled exception is logged with a trace id that the client also receives.
 */
@Singleton
@Primary
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        HttpStatus status = base.getStatus();
        Problem problem = switch (status) {
            case BAD_REQUEST -> problem(status, "bad-request", "Bad request",
                    "The request could not be read: the body must be well-formed JSON of the documented shape, "
                            + "and parameters must have the documented types");
            case UNAUTHORIZED -> problem(status, "unauthenticated", "Unauthenticated",
                    "A valid bearer token is required (signed, unexpired, with sub and exp claims, for an existing tenant)");
            case FORBIDDEN -> problem(status, "forbidden", "Forbidden",
                    "The token's roles do not allow this operation");
            case NOT_FOUND -> problem(status, "not-found", "Not found", "No resource at this path");
            case METHOD_NOT_ALLOWED -> problem(status, "method-not-allowed", "Method not allowed",
                    "This path does not support the " + context.getRequest().getMethodName() + " method");
            case UNSUPPORTED_MEDIA_TYPE -> problem(status, "unsupported-media-type", "Unsupported media type",
                    "The request's Content-Type is not accepted here");
            case REQUEST_ENTITY_TOO_LARGE -> problem(status, "payload-too-large", "Payload too large",
                    "The request body exceeds the size limit of this endpoint");
            case NOT_ACCEPTABLE -> problem(status, "not-acceptable", "Not acceptable",
                    "This endpoint cannot produce the media type the request accepts");
            default -> status.getCode() >= 500 ? serverError(context, status)
                    : problem(status, "http-" + status.getCode(), status.getReason(), null);
        };
        if (status == HttpStatus.UNAUTHORIZED) {
            base.header("WWW-Authenticate", "Bearer");
        }
        return base.status(status).contentType(ProblemResponses.PROBLEM_JSON).body(problem);
    }

    private static Problem serverError(ErrorContext context, HttpStatus status) {
        String traceId = UUID.randomUUID().toString();
        context.getRootCause().ifPresentOrElse(
                cause -> LOG.error("Unhandled error on {} {} (trace id {})",
                        context.getRequest().getMethodName(), LoggedPaths.masked(context.getRequest().getPath()), traceId, cause),
                () -> LOG.error("Server error {} on {} {} (trace id {})", status.getCode(),
                        context.getRequest().getMethodName(), LoggedPaths.masked(context.getRequest().getPath()), traceId));
        return problem(status, "server-error", status.getReason(),
                "The server could not complete the request; trace id " + traceId);
    }

    private static Problem problem(HttpStatus status, String type, String title, String detail) {
        return new Problem(Problem.TYPE_BASE + type, title, status.getCode(), detail, List.of());
    }
}
