package dev.junction.platform.cohort;

import dev.junction.platform.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How cohort sync runs behave ({@code junction.cohort-sync.*}). How often a replica polls the queue
 * ({@code junction.cohort-sync.poll-interval}, 2 s) is read by {@link CohortSyncRunner}'s schedule.
 *
 * @param runTimeout the longest one run's connector call may take
 * @param retryBase  the first backoff after a transient failure, doubled per further attempt (at most 10 minutes)
 */
@ConfigurationProperties("junction.cohort-sync")
record CohortSyncRunSettings(@Bindable(defaultValue = "2h") Duration runTimeout,
                             @Bindable(defaultValue = "5s") Duration retryBase) {

    CohortSyncRunSettings {
        Settings.positive("junction.cohort-sync.run-timeout", runTimeout);
        Settings.positive("junction.cohort-sync.retry-base", retryBase);
    }
}
