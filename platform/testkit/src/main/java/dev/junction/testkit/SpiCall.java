package dev.junction.testkit;

import java.time.Duration;

/**
 * The SPI calls the platform time-boxes, with the platform's default limit for each (the table in
 * the SPI's {@code package-info}; operators can change them with the settings named there). A call
 * that runs past its limit disables the connector, so a test can hold a call to it with
 * {@link TestContext#withinCallLimit}.
 */
public enum SpiCall {
    /** {@code Connector.descriptor()}, once at load. */
    DESCRIPTOR(Duration.ofSeconds(5)),
    /** {@code Connector.check} ({@code junction.plugins.call-timeout}). */
    CHECK(Duration.ofSeconds(30)),
    /** {@code EventSource.verify}. */
    VERIFY(Duration.ofSeconds(30)),
    /** {@code EventSource.normalize}. */
    NORMALIZE(Duration.ofSeconds(30)),
    /** {@code EventDestination.deliver} ({@code junction.delivery.call-timeout}). */
    DELIVER(Duration.ofSeconds(60)),
    /** {@code CohortSync.validate}. */
    COHORT_VALIDATE(Duration.ofSeconds(30)),
    /** {@code CohortSync.run} ({@code junction.cohort-sync.run-timeout}). */
    COHORT_RUN(Duration.ofHours(2)),
    /** {@code ObjectSync.collections}. */
    OBJECT_COLLECTIONS(Duration.ofSeconds(30)),
    /** {@code ObjectSync.sync} ({@code junction.object-sync.run-timeout}). */
    OBJECT_SYNC(Duration.ofHours(6));

    private final Duration defaultLimit;

    SpiCall(Duration defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    /** The platform's default time limit for this call. */
    public Duration defaultLimit() {
        return defaultLimit;
    }
}
