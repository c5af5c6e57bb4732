package dev.junction.runtime.http;

import java.time.Duration;

/** Waits; tests substitute one that only advances a clock. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
}
