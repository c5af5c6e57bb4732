package dev.junction.platform.cohort;

import dev.junction.platform.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How cohort sync runs behave ({@code junction.cohort-sync.*}).
 *
 * @param pollInterval how often a replica polls the queue (heartbeats, due schedules, claims)
 * @param runTimeout   the longest one run's connector call may take
 * @param retryBase  the first backoff after a transient failure, doubled per further attempt (at most 10 minutes)
 */
@Context
@ConfigurationProperties("junction.cohort-sync")
record CohortSyncRunSettings(@Bindable(defaultValue = "2s") Duration pollInterval,
                             @Bindable(defaultValue = "2h") Duration runTimeout,
                             @Bindable(defaultValue = "5s") Duration retryBase) {

    CohortSyncRunSettings {
        Settings.positive("junction.cohort-sync.poll-interval", pollInterval);
        Settings.positive("junction.cohort-sync.run-timeout", runTimeout);
        Settings.positive("junction.cohort-sync.retry-base", retryBase);
    }
}
