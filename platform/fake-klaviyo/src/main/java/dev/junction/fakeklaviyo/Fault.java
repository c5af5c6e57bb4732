package dev.junction.fakeklaviyo;

import java.time.Duration;

/**
 * A fault the fake injects into the next matching requests; give it to {@link FakeKlaviyo#inject(Fault)}.
 *
 * <pre>{@code
 * fake.inject(Fault.rateLimited(Duration.ofSeconds(2)).times(5).on("bulk_import_profiles"));  // a 429 storm
 * fake.inject(Fault.status(503).times(3));                                                     // an outage
 * fake.inject(Fault.delay(Duration.ofMillis(300)).on("create_event"));
 * }</pre>
 *
 * <p>Faults apply before authentication, in the order injected; each matching request uses up one of the
 * fault's times. {@link #forever()} keeps it until {@link FakeKlaviyo#clearFaults()}. Immutable.
 */
public final class Fault {
    enum Kind { RATE_LIMIT, STATUS, DELAY }

    final Kind kind;
    final int status;
    final Duration duration;
    final int times;
    final String operationId;

    private Fault(Kind kind, int status, Duration duration, int times, String operationId) {
        this.kind = kind;
        this.status = status;
        this.duration = duration;
        this.times = times;
        this.operationId = operationId;
    }

    /**
     * Answer 429 {@code throttled} with {@code Retry-After} set to {@code retryAfter} (whole seconds, rounded up).
     *
     * @param retryAfter what the client is told to wait
     * @return the fault (once, any operation)
     */
    public static Fault rateLimited(Duration retryAfter) {
        return new Fault(Kind.RATE_LIMIT, 429, positive(retryAfter), 1, null);
    }

    /**
     * Answer with this status and a Klaviyo error document (e.g. 500, 502, 503).
     *
     * @param status 400..599
     * @return the fault (once, any operation)
     */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        return new Fault(Kind.STATUS, status, Duration.ZERO, 1, null);
    }

    /**
     * Wait this long, then handle the request normally.
     *
     * @param delay the added latency
     * @return the fault (once, any operation)
     */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, positive(delay), 1, null);
    }

    /**
     * A copy for this many matching requests.
     *
     * @param count at least 1
     * @return the new fault
     */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        return new Fault(kind, status, duration, count, operationId);
    }

    /**
     * A copy that never wears out (until cleared).
     *
     * @return the new fault
     */
    public Fault forever() {
        return new Fault(kind, status, duration, Integer.MAX_VALUE, operationId);
    }

    /**
     * A copy that applies only to one operation, by the spec's operationId (e.g. {@code create_event}).
     *
     * @param specOperationId the operationId
     * @return the new fault
     */
    public Fault on(String specOperationId) {
        return new Fault(kind, status, duration, times, specOperationId);
    }

    boolean matches(String requestOperationId) {
        return operationId == null || operationId.equals(requestOperationId);
    }

    private static Duration positive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        return d;
    }

    @Override
    public String toString() {
        return kind + (status > 0 ? " " + status : "") + (duration.isZero() ? "" : " " + duration) + " x" + times
                + (operationId == null ? "" : " on " + operationId);
    }
}
