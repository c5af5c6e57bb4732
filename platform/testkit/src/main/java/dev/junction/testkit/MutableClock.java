package dev.junction.testkit;

import dev.junction.runtime.http.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, or let move by waiting: {@link #sleeper()} waits by advancing the
 * clock instead of sleeping, so a plugin that paces or polls through a {@link Sleeper} (the HTTP
 * client's retries, a cohort sync's job polling) runs at full speed while the clock shows the
 * time it would have taken. Thread-safe.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;
    private volatile Duration slept = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** A clock at the current time. */
    public static MutableClock now() {
        return new MutableClock(Instant.now());
    }

    public void set(Instant instant) {
        this.now = instant;
    }

    public synchronized void advance(Duration d) {
        this.now = now.plus(d);
    }

    /**
     * A sleeper that does not sleep: it advances this clock by the duration asked (negative and
     * zero durations do nothing) and adds it to {@link #slept()}.
     */
    public Sleeper sleeper() {
        return d -> {
            if (d.isNegative() || d.isZero()) {
                return;
            }
            synchronized (this) {
                now = now.plus(d);
                slept = slept.plus(d);
            }
        };
    }

    /** The total time waited through {@link #sleeper()} (not counting {@link #advance} or {@link #set}). */
    public Duration slept() {
        return slept;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
