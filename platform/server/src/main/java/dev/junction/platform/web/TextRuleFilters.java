package dev.junction.platform.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;
import io.micronaut.http.filter.ServerFilterPhase;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies {@link PostgresText} at the edge, to every API request, before any controller runs:
 * the path (so its parameters), every query parameter and header, and the body. The streamed cohort
 * member upload ({@code PUT /v1/admin/cohorts/{key}/members}, up to gigabytes) is not buffered
 * here: its lines are checked as they are read, in the upload's transaction.
 */
final class TextRuleFilters {

    private TextRuleFilters() {
    }

    /** Runs after authentication, so an anonymous caller gets its 401 without the body being read. */
    private static int order() {
        return ServerFilterPhase.SECURITY.after();
    }

    @ServerFilter("/v1/**")
    static final class Parameters implements Ordered {

        @RequestFilter
        @Nullable
        HttpResponse<?> check(HttpRequest<?> request) {
            Optional<String> inPath;
            try {
                // percent-decoded: %00 in a path segment is a NUL in the path parameter
                String path = URI.create(request.getUri().toString()).getPath();
                inPath = PostgresText.problem(path == null ? "" : path);
            } catch (IllegalArgumentException e) {
                inPath = Optional.empty(); // not a URI the router would match either; it answers by itself
            }
            if (inPath.isPresent()) {
                // no resource has such an id or name: the same answer as for any unknown path
                return ProblemResponses.of(new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found",
                        "No resource at this path: it " + inPath.get(), List.of()));
            }
            for (Map.Entry<String, List<String>> e : request.getParameters()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                Optional<String> problem = PostgresText.problem(e.getKey())
                        .or(() -> e.getValue().stream().map(PostgresText::problem).flatMap(Optional::stream).findFirst());
                if (problem.isPresent()) {
                    return ProblemResponses.of(PostgresText.refused(List.of(Problem.FieldError.parameter(
                            PostgresText.storable(e.getKey()) ? e.getKey() : "?", "The query parameter " + problem.get()))));
                }
            }
            for (Map.Entry<String, List<String>> e : request.getHeaders()) {
                if (e.getValue().stream().anyMatch(v -> !PostgresText.storable(v))) {
                    return ProblemResponses.of(PostgresText.refused("The header " + e.getKey(), "it holds text that cannot be stored"));
                }
            }
            return null;
        }

        @Override
        public int getOrder() {
            return order();
        }
    }

    /** Every body but the streamed member upload (a regular expression cannot say "except PUT"). */
    @ServerFilter(patterns = "^/v1/(?!admin/cohorts/[^/]+/members$).*", patternStyle = FilterPatternStyle.REGEX)
    static final class Bodies implements Ordered {

        @RequestFilter
        @Nullable
        HttpResponse<?> check(HttpRequest<?> request, @Nullable @Body byte[] body) {
            if (body == null || body.length == 0) {
                return null;
            }
            try {
                PostgresText.checkJson(body);
            } catch (ApiException e) {
                return ProblemResponses.of(e);
            }
            return null;
        }

        @Override
        public int getOrder() {
            return order();
        }
    }
}
