package dev.junction.fakesendgrid;

/** A request the fake refuses, rendered as SendGrid's error body with this status. */
final class ApiError extends RuntimeException {
    final int status;
    final String field;

    ApiError(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static ApiError badRequest(String field, String message) {
        return new ApiError(400, field, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, null, message);
    }
}
