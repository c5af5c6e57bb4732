package dev.junction.runtime;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * The time limit of the plugin call running on this thread, so that the platform's own services
 * (the HTTP client waiting out a 429, backing off) give up in time with a retriable failure,
 * instead of the call overrunning its limit and the connector being disabled as hung.
 */
public final class CallDeadline {

    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

    private CallDeadline() {
    }

    /**
     * Runs {@code work} with a deadline {@code limit} from now (System.nanoTime based), less a
     * margin (a tenth of the limit, at most 2 s) left for the connector to handle the failure.
     */
    public static <T> T within(Duration limit, Callable<T> work) throws Exception {
        Long previous = DEADLINE_NANOS.get();
        long margin = Math.min(Duration.ofSeconds(2).toNanos(), limit.toNanos() / 10);
        DEADLINE_NANOS.set(System.nanoTime() + limit.toNanos() - margin);
        try {
            return work.call();
        } finally {
            if (previous == null) {
                DEADLINE_NANOS.remove();
            } else {
                DEADLINE_NANOS.set(previous);
            }
        }
    }

    /** Nanoseconds left before the deadline (margin deducted) of the current call, if it has one. */
    public static OptionalLong remainingNanos() {
        Long d = DEADLINE_NANOS.get();
        return d == null ? OptionalLong.empty() : OptionalLong.of(d - System.nanoTime());
    }
}
