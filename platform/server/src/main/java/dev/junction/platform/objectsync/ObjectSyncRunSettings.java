package dev.junction.platform.objectsync;

import dev.junction.platform.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/**
 * How object sync runs behave ({@code junction.object-sync.*}).
 *
 * @param pollInterval    how often a replica polls the queue (heartbeats, due schedules, claims)
 * @param runTimeout      the longest one run's connector call may take
 * @param retryBase       the first backoff after a transient failure, doubled per further attempt (at most 30 minutes)
 * @param concurrency     runs executing at once on one replica
 * @param batchRows       records written per batch (a batch is also cut at {@code batchSize})
 * @param batchSize       bytes of records written per batch ("2MB")
 * @param defaultInterval how often an installation syncs when it does not say ("3h", "off")
 */
@Context
@ConfigurationProperties("junction.object-sync")
record ObjectSyncRunSettings(@Bindable(defaultValue = "5s") Duration pollInterval,
                             @Bindable(defaultValue = "6h") Duration runTimeout,
                             @Bindable(defaultValue = "30s") Duration retryBase,
                             @Bindable(defaultValue = "2") @Positive int concurrency,
                             @Bindable(defaultValue = "2000") @Positive int batchRows,
                             @Bindable(defaultValue = "2MB") @ReadableBytes @Positive int batchSize,
                             @Bindable(defaultValue = "3h") String defaultInterval) {

    ObjectSyncRunSettings {
        Settings.positive("junction.object-sync.poll-interval", pollInterval);
        Settings.positive("junction.object-sync.run-timeout", runTimeout);
        Settings.positive("junction.object-sync.retry-base", retryBase);
        try {
            SyncInterval.parse(defaultInterval);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("junction.object-sync.default-interval " + e.getMessage() + ", was " + defaultInterval);
        }
    }
}
