package dev.junction.spi;

import java.time.Duration;

/**
 * How a connector waits between polls of a vendor's asynchronous job (an import, an export). Give
 * your capability a constructor that takes one: the platform creates it with its no-argument
 * constructor, which uses {@link #system()}; tests pass one that returns at once or advances a test
 * clock (the test kit's {@code ctx.sleeper()::sleep}). Waiting counts toward the call's time limit.
 *
 * @since 1.0
 */
@FunctionalInterface
public interface Pause {

    /** Waits, or throws when the thread is interrupted. */
    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps. */
    static Pause system() {
        return duration -> Thread.sleep(duration.toMillis());
    }

    /**
     * Waits; an interruption (the platform ending the call) ends the operation with a
     * {@link RetriableConnectorException} {@code interrupted}, the interrupt flag kept.
     *
     * @param duration how long
     * @param vendor   whom the connector waits for, for the message, e.g. {@code SendGrid}
     */
    default void await(Duration duration, String vendor) throws RetriableConnectorException {
        try {
            sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableConnectorException("interrupted", "Interrupted while waiting for " + vendor, null, null, e);
        }
    }
}
