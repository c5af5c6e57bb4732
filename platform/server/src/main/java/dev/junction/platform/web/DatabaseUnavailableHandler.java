package dev.junction.platform.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.data.connection.exceptions.ConnectionException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.UUID;

/**
 * Database failures. When PostgreSQL cannot be reached (connection refused or lost, pool timed out,
 * server shutting down) the answer is 503 with Retry-After, which webhook senders retry; the
 * server recovers by itself when the database is back. Any other database error is a 500 with a
 * trace id in the log.
 */
@Singleton
@Requires(classes = SQLException.class)
final class DatabaseUnavailableHandler implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RuntimeException exception) {
        if (unavailable(exception)) {
            LOG.warn("Database unavailable on {} {}: {}", request.getMethodName(), LoggedPaths.masked(request.getPath()), rootMessage(exception));
            var response = ProblemResponses.of(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                    "Service unavailable", "The database is not reachable right now; retry later", List.of()));
            response.header("Retry-After", "10");
            return response;
        }
        String traceId = UUID.randomUUID().toString();
        LOG.error("Unhandled error on {} {} (trace id {})", request.getMethodName(), LoggedPaths.masked(request.getPath()), traceId, exception);
        return ProblemResponses.of(new Problem(Problem.TYPE_BASE + "server-error", "Internal Server Error", 500,
                "The server could not complete the request; trace id " + traceId, List.of()));
    }

    /**
     * Whether the failure is the database being unreachable rather than a bad statement. A failure
     * to get, configure or release a connection counts: when PostgreSQL goes away mid-request, the
     * error that surfaces is often the pool's "Connection is closed" (no SQLState) while Micronaut
     * resets the connection after the failed statement.
     */
    static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof ConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
