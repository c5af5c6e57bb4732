package dev.junction.platform.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Bean Validation failures become 422 with one JSON Pointer per invalid field. The rejected value
 * is never echoed: it may be a secret.
 */
@Singleton
@Replaces(ConstraintExceptionHandler.class)
final class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : exception.getConstraintViolations()) {
            errors.add(fieldError(v.getPropertyPath(), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::location));
        return ProblemResponses.of(ApiException.invalid(errors));
    }

    /**
     * Turns {@code create.request.slug} (method, body parameter, bean property) into the body
     * pointer {@code /slug}; a violation on a method parameter itself ({@code list.limit}) names
     * that query or path parameter.
     */
    static Problem.FieldError fieldError(Path path, String message) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        Path.Node last = nodes.get(nodes.size() - 1);
        if (last.getKind() == ElementKind.PARAMETER) {
            return Problem.FieldError.parameter(last.getName(), message);
        }
        StringBuilder pointer = new StringBuilder();
        for (Path.Node node : nodes) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR
                    || node.getKind() == ElementKind.PARAMETER) {
                continue;
            }
            if (node.getIndex() != null) {
                pointer.append('/').append(node.getIndex());
            }
            if (node.getName() != null && !node.getName().isEmpty()) {
                pointer.append('/').append(escape(node.getName()));
            }
        }
        return Problem.FieldError.body(pointer.length() == 0 ? "" : pointer.toString(), message);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
