package dev.junction.platform.delivery;

import io.micronaut.context.annotation.Property;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * How the delivery pipeline behaves ({@code junction.delivery.*}, from the {@code JUNCTION_DELIVERY_*}
 * environment variables).
 *
 * <ul>
 *   <li>{@code workers}: delivery threads on this replica (0: this replica only ingests)</li>
 *   <li>{@code max-attempts}: failed attempts after which an event is dead-lettered</li>
 *   <li>{@code max-age}: how long an event may keep failing before it is dead-lettered</li>
 *   <li>{@code retry-base}: the first backoff after a failure; doubled per further failure, with jitter</li>
 *   <li>{@code retry-max}: the longest backoff</li>
 *   <li>{@code call-timeout}: the longest one connector delivery call may take</li>
 *   <li>{@code poll-interval}: how often an idle worker looks for work without being notified</li>
 * </ul>
 */
@Singleton
public final class DeliverySettings {

    /** The most events handed to one delivery call, whatever the connector asks for. */
    public static final int MAX_BATCH = 1000;

    private final int workers;
    private final int maxAttempts;
    private final Duration maxAge;
    private final Duration retryBase;
    private final Duration retryMax;
    private final Duration callTimeout;
    private final Duration pollInterval;

    public DeliverySettings(@Property(name = "junction.delivery.workers", defaultValue = "4") int workers,
                            @Property(name = "junction.delivery.max-attempts", defaultValue = "10") int maxAttempts,
                            @Property(name = "junction.delivery.max-age", defaultValue = "24h") Duration maxAge,
                            @Property(name = "junction.delivery.retry-base", defaultValue = "1s") Duration retryBase,
                            @Property(name = "junction.delivery.retry-max", defaultValue = "10m") Duration retryMax,
                            @Property(name = "junction.delivery.call-timeout", defaultValue = "60s") Duration callTimeout,
                            @Property(name = "junction.delivery.poll-interval", defaultValue = "1s") Duration pollInterval) {
        if (workers < 0 || maxAttempts < 1 || retryBase.isNegative() || retryMax.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("junction.delivery: workers >= 0, max-attempts >= 1, 0 <= retry-base <= retry-max");
        }
        this.workers = workers;
        this.maxAttempts = maxAttempts;
        this.maxAge = maxAge;
        this.retryBase = retryBase;
        this.retryMax = retryMax;
        this.callTimeout = callTimeout;
        this.pollInterval = pollInterval;
    }

    public int workers() { return workers; }

    public int maxAttempts() { return maxAttempts; }

    public Duration maxAge() { return maxAge; }

    public Duration callTimeout() { return callTimeout; }

    public Duration pollInterval() { return pollInterval; }

    /** The backoff after the {@code failures}-th consecutive failure: exponential, with "equal jitter". */
    Duration backoff(int failures, double random) {
        long base = retryBase.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        long capped = Math.min(base, retryMax.toMillis());
        return Duration.ofMillis(capped / 2 + (long) (random * (capped / 2.0)));
    }
}
