package dev.junction.fakesendgrid;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A fault the fake injects into the next matching requests; give it to {@link FakeSendGrid#inject(Fault)}.
 *
 * <pre>{@code
 * fake.inject(Fault.rateLimited(Duration.ofSeconds(3)).times(2).on("PUT", "/v3/marketing/contacts"));
 * fake.inject(Fault.status(503));                       // the next request, whatever it is
 * fake.inject(Fault.delay(Duration.ofSeconds(2)).times(5));
 * fake.inject(Fault.hang().on("POST", "/v3/marketing/contacts/exports"));
 * }</pre>
 *
 * <p>Faults apply before authentication, in the order they were injected; each matching request uses up
 * one of a fault's {@link #times(int) times}. Instances are immutable.
 */
public final class Fault {
    enum Kind { RATE_LIMIT, STATUS, DELAY, HANG }

    final Kind kind;
    final int status;
    final Duration duration;
    final int times;
    final String method;
    final String pathPrefix;

    private Fault(Kind kind, int status, Duration duration, int times, String method, String pathPrefix) {
        this.kind = kind;
        this.status = status;
        this.duration = duration;
        this.times = times;
        this.method = method;
        this.pathPrefix = pathPrefix;
    }

    /**
     * Answer 429 with {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining: 0} and {@code X-RateLimit-Reset}
     * set to now plus {@code resetAfter} (epoch seconds, rounded up).
     *
     * @param resetAfter how far ahead the reset lies
     * @return the fault (once, any request)
     */
    public static Fault rateLimited(Duration resetAfter) {
        return new Fault(Kind.RATE_LIMIT, 429, requirePositive(resetAfter), 1, null, null);
    }

    /**
     * Answer with this status and a SendGrid-style error body (for example 500 or 503).
     *
     * @param status an HTTP status from 400 to 599
     * @return the fault (once, any request)
     */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        return new Fault(Kind.STATUS, status, Duration.ZERO, 1, null, null);
    }

    /**
     * Wait this long, then handle the request normally.
     *
     * @param delay the delay
     * @return the fault (once, any request)
     */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, requirePositive(delay), 1, null, null);
    }

    /**
     * Never answer: the request is held until the client gives up, {@link FakeSendGrid#clearFaults()},
     * {@link FakeSendGrid#reset()} or {@link FakeSendGrid#close()} (or 10 minutes), then the connection is dropped.
     *
     * @return the fault (once, any request)
     */
    public static Fault hang() {
        return new Fault(Kind.HANG, 0, Duration.ofMinutes(10), 1, null, null);
    }

    /**
     * Returns a copy that applies to this many matching requests.
     *
     * @param count at least 1
     * @return the new fault
     */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        return new Fault(kind, status, duration, count, method, pathPrefix);
    }

    /**
     * Returns a copy that only matches requests with this method whose path starts with {@code pathPrefix}.
     *
     * @param httpMethod the method (any case), or null for any
     * @param pathPrefix a path prefix such as {@code /v3/marketing/contacts}, or null for any
     * @return the new fault
     */
    public Fault on(String httpMethod, String pathPrefix) {
        return new Fault(kind, status, duration, times,
                httpMethod == null ? null : httpMethod.toUpperCase(Locale.ROOT), pathPrefix);
    }

    boolean matches(String requestMethod, String path) {
        return (method == null || method.equals(requestMethod)) && (pathPrefix == null || path.startsWith(pathPrefix));
    }

    private static Duration requirePositive(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        return d;
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.STATUS ? " " + status : "") + " x" + times
                + (method == null ? "" : " " + method) + (pathPrefix == null ? "" : " " + pathPrefix + "*");
    }
}
