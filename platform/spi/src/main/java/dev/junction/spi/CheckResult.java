package dev.junction.spi;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link Connector#check}: succeeded, or failed with a reason a user can act on.
 *
 * @param succeeded whether the config works
 * @param code      machine-readable reason when failed, e.g. {@code invalid_credentials},
 *                  {@code missing_scopes}; {@code ok} when succeeded, or a code that qualifies the
 *                  success (a placeholder connector succeeds with {@code not_implemented})
 * @param message   one or two sentences for the user; never contains a secret
 * @param details   structured facts (e.g. {@code missing_scopes: [...]}) of JSON-compatible values
 * @since 1.0
 */
public record CheckResult(boolean succeeded, String code, String message, Map<String, Object> details) {

    public CheckResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static CheckResult ok() {
        return new CheckResult(true, "ok", "Connection verified", Map.of());
    }

    public static CheckResult ok(String message) {
        return new CheckResult(true, "ok", message, Map.of());
    }

    public static CheckResult failed(String code, String message) {
        return new CheckResult(false, code, message, Map.of());
    }

    public static CheckResult failed(String code, String message, Map<String, Object> details) {
        return new CheckResult(false, code, message, details);
    }
}
