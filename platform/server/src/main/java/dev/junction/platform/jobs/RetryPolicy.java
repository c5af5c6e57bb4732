package dev.junction.platform.jobs;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.Optional;

/**
 * When a run that failed transiently is tried again: after {@code base}, doubled per further
 * attempt up to {@code max}, or after the vendor's {@code Retry-After} when that is longer; never
 * after {@code maxAttempts} attempts.
 *
 * @param maxAttempts attempts before a run that keeps failing is given up
 * @param base        the wait after the first attempt
 * @param max         the longest wait the doubling reaches
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max) {

    /** The wait before the next attempt after attempt number {@code attempt} failed; empty when it was the last. */
    public Optional<Duration> next(int attempt, @Nullable Duration retryAfter) {
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        Duration backoff = base.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 20));
        if (backoff.compareTo(max) > 0) {
            backoff = max;
        }
        return Optional.of(retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff);
    }

    /** The error a run ends with when it was given up after {@code attempt} attempts. */
    public static String gaveUp(String error, int attempt) {
        return error + " (gave up after " + attempt + " attempts)";
    }
}
