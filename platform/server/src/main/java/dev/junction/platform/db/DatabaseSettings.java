package dev.junction.platform.db;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * Where the database is ({@code datasources.default.*}), for the connections held outside the pool
 * (the notification listener, the readiness probe). The pool reads the same properties itself.
 *
 * @param url      the JDBC URL
 * @param username the database user
 * @param password the user's password (empty with trust auth); never shown by {@link #toString()}
 */
@Context
@ConfigurationProperties("datasources.default")
public record DatabaseSettings(@NotBlank String url,
                               @Bindable(defaultValue = "postgres") String username,
                               @Bindable(defaultValue = "") @Nullable String password) {

    /** The password, or empty when none is set. */
    public String passwordOrEmpty() {
        return password == null ? "" : password;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", username=" + username + ", password=(hidden)]";
    }
}
