package dev.junction.fakevendor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A document's operations in matching order ({@link PathTemplate#MOST_LITERAL_FIRST}), looked up by method
 * and path.
 *
 * @param <T> the fake's own operation type
 */
public final class OperationIndex<T> {
    /**
     * An operation that matched a request.
     *
     * @param operation the operation
     * @param pathParams its path parameters' decoded values
     * @param <T> the operation type
     */
    public record Matched<T>(T operation, Map<String, String> pathParams) {
    }

    private final List<T> operations;
    private final Function<T, String> method;
    private final Function<T, PathTemplate> path;

    /**
     * @param operations the operations, in any order
     * @param method an operation's upper-case HTTP method
     * @param path an operation's path template
     */
    public OperationIndex(List<T> operations, Function<T, String> method, Function<T, PathTemplate> path) {
        List<T> sorted = new ArrayList<>(operations);
        sorted.sort((a, b) -> PathTemplate.MOST_LITERAL_FIRST.compare(path.apply(a), path.apply(b)));
        this.operations = List.copyOf(sorted);
        this.method = method;
        this.path = path;
    }

    /** @return every operation, in matching order */
    public List<T> all() {
        return operations;
    }

    /**
     * The operation for a request.
     *
     * @param requestMethod the upper-case method
     * @param requestPath the path (no query)
     * @param decoder how path parameter values are decoded
     * @return the first operation with this method whose template matches, or empty
     */
    public Optional<Matched<T>> match(String requestMethod, String requestPath, UnaryOperator<String> decoder) {
        for (T op : operations) {
            if (method.apply(op).equals(requestMethod)) {
                Optional<Map<String, String>> values = path.apply(op).match(requestPath, decoder);
                if (values.isPresent()) {
                    return Optional.of(new Matched<>(op, values.get()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param requestPath a path (no query)
     * @return whether some operation, with any method, has this path
     */
    public boolean knowsPath(String requestPath) {
        return operations.stream().anyMatch(op -> path.apply(op).matches(requestPath));
    }
}
