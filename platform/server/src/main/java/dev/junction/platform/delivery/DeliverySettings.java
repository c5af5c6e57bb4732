package dev.junction.platform.delivery;

import dev.junction.platform.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.Duration;

/**
 * How the delivery pipeline behaves ({@code junction.delivery.*}, from the {@code JUNCTION_DELIVERY_*}
 * environment variables).
 *
 * @param workers      delivery threads on this replica (0: this replica only ingests)
 * @param maxAttempts  failed attempts after which an event is dead-lettered
 * @param maxAge       how long an event may keep failing before it is dead-lettered
 * @param retryBase    the first backoff after a failure; doubled per further failure, with jitter
 * @param retryMax     the longest backoff
 * @param callTimeout  the longest one connector delivery call may take
 * @param pollInterval how often an idle worker looks for work without being notified
 */
@Context
@ConfigurationProperties("junction.delivery")
record DeliverySettings(@Bindable(defaultValue = "4") @PositiveOrZero int workers,
                               @Bindable(defaultValue = "10") @Min(1) int maxAttempts,
                               @Bindable(defaultValue = "24h") Duration maxAge,
                               @Bindable(defaultValue = "1s") Duration retryBase,
                               @Bindable(defaultValue = "10m") Duration retryMax,
                               @Bindable(defaultValue = "60s") Duration callTimeout,
                               @Bindable(defaultValue = "1s") Duration pollInterval) {

    /** The most events handed to one delivery call, whatever the connector asks for. */
    public static final int MAX_BATCH = 1000;

    public DeliverySettings {
        Settings.positive("junction.delivery.max-age", maxAge);
        Settings.positive("junction.delivery.call-timeout", callTimeout);
        Settings.positive("junction.delivery.poll-interval", pollInterval);
        if (retryBase.isNegative() || retryMax.compareTo(retryBase) < 0) {
            throw new ConfigurationException("junction.delivery: 0 <= retry-base <= retry-max, was retry-base " + retryBase
                    + " and retry-max " + retryMax);
        }
    }

    /** The backoff after the {@code failures}-th consecutive failure: exponential, with "equal jitter". */
    Duration backoff(int failures, double random) {
        long base = retryBase.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        long capped = Math.min(base, retryMax.toMillis());
        return Duration.ofMillis(capped / 2 + (long) (random * (capped / 2.0)));
    }
}
