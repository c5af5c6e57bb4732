package dev.junction.fakeklaviyo;

import dev.junction.fakeklaviyo.JsonApi.ApiError;
import java.util.List;

/** A request the fake refuses with Klaviyo's error document; thrown by handlers and the store. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient List<ApiError> errors;

    ApiException(ApiError error) {
        super(error.detail(), null, false, false);
        this.errors = List.of(error);
    }

    static ApiException invalid(String detail, String pointer) {
        return new ApiException(ApiError.invalid(detail, pointer, null));
    }

    static ApiException notFound(String detail) {
        return new ApiException(ApiError.of(404, "not_found", "Not found.", detail));
    }

    int status() {
        return errors.get(0).status();
    }
}
