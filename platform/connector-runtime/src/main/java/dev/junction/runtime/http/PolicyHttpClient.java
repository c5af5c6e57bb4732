package dev.junction.runtime.http;

import dev.junction.spi.ConnectorException;
import dev.junction.spi.ConnectorHttp;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@link ConnectorHttp} of one installation: allowed hosts only (exact, or {@code *.domain}),
 * paced by a rate limiter, 429s waited out without spending attempts, 5xx and transport failures
 * retried with exponential backoff and jitter (idempotent calls only), every attempt recorded
 * masked. {@link #stream} hands a body over as it arrives, guarded by {@link GuardedBody}.
 */
public final class PolicyHttpClient implements ConnectorHttp {

    /** Bytes of request and response bodies kept in attempt records. */
    public static final int RECORDED_BODY_BYTES = 4096;
    private static final Duration BASE_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Used when a 429 says nothing about when to come back. */
    private static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);
    /** {@code *.} and at least two labels: {@code *.s3.amazonaws.com}, never {@code *} or {@code *.com}. */
    private static final Pattern WILDCARD = Pattern.compile("\\*(\\.[a-z0-9-]+){2,}");

    private final HttpClient http;
    private final Set<String> allowedHosts;
    private final RateLimiter limiter;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<HttpAttempt> recorder;
    private final AddressGuard guard;

    /**
     * @param http              the JDK client (shared; thread-safe)
     * @param allowedHosts      hosts (lower-case) calls may go to
     * @param requestsPerSecond pacing for this installation
     * @param clock             for rate-limit resets and records
     * @param sleeper           how to wait
     * @param recorder          receives every attempt, masked
     */
    public PolicyHttpClient(HttpClient http, Set<String> allowedHosts, double requestsPerSecond, Clock clock,
                            Sleeper sleeper, Consumer<HttpAttempt> recorder) {
        this(http, allowedHosts, requestsPerSecond, clock, sleeper, recorder, AddressGuard.OFF);
    }

    /** As above, and every call's host is checked by {@code guard} (the server's: no private addresses). */
    public PolicyHttpClient(HttpClient http, Set<String> allowedHosts, double requestsPerSecond, Clock clock,
                            Sleeper sleeper, Consumer<HttpAttempt> recorder, AddressGuard guard) {
        this.guard = guard;
        this.http = http;
        this.allowedHosts = lower(allowedHosts);
        this.limiter = RateLimiter.of("connector-http", RateLimiterConfig.custom()
                .limitForPeriod(Math.max(1, (int) Math.ceil(requestsPerSecond)))
                .limitRefreshPeriod(Duration.ofNanos((long) (1_000_000_000L * Math.max(1, Math.ceil(requestsPerSecond)) / requestsPerSecond)))
                .timeoutDuration(Duration.ofMinutes(10))
                .build());
        this.clock = clock;
        this.sleeper = sleeper;
        this.recorder = recorder;
    }

    /** A JDK client suitable for connectors: HTTP/1.1, 10 s connect timeout, no redirects. */
    public static HttpClient defaultJdkClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public HttpResult send(HttpCall call) throws ConnectorException {
        return execute(call, HttpResponse.BodyHandlers.ofByteArray(), body -> body, (response, attempt, started, t0) -> {
            record(call, response.statusCode(), response.body(), null, null, started, since(t0), attempt,
                    HttpAttempt.Outcome.RETURNED);
            return new HttpResult(response.statusCode(), response.headers().map(), response.body(), attempt);
        });
    }

    @Override
    public <T> T stream(HttpCall call, BodyReader<T> reader) throws ConnectorException {
        long deadline = deadlineNanos();
        return execute(call, HttpResponse.BodyHandlers.ofInputStream(), PolicyHttpClient::drain,
                (response, attempt, started, t0) -> handOver(call, response, attempt, started, t0, deadline, reader));
    }

    /** Hands the body to the reader, guarded against stalls and the call's deadline; records the attempt after. */
    private <T> T handOver(HttpCall call, HttpResponse<InputStream> response, int attempt, Instant started, long t0,
                           long deadline, BodyReader<T> reader) throws ConnectorException {
        int status = response.statusCode();
        HttpResult head = new HttpResult(status, response.headers().map(), null, attempt);
        GuardedBody body = new GuardedBody(response.body(), call.timeout(), deadline);
        String error = null;
        try {
            return reader.read(head, body);
        } catch (IOException e) {
            error = body.failure(e);
            String host = call.uri().getHost();
            if (body.pastDeadline()) {
                throw new RetriableConnectorException("deadline", "The time allowed for this operation ran out while "
                        + "downloading from " + host + " (" + body.count() + " bytes read)", null, error, e);
            }
            throw new RetriableConnectorException("download_failed", "The download from " + host + " broke off after "
                    + body.count() + " bytes (" + error + ")", null, error, e);
        } finally {
            body.release();
            record(call, status, null, "[streamed to the connector: " + body.count() + " bytes read]", error, started,
                    since(t0), attempt, error == null ? HttpAttempt.Outcome.RETURNED : HttpAttempt.Outcome.GAVE_UP);
        }
    }

    /** What a response that is not handed over (429, 5xx) leaves for the record: its first bytes. */
    private static byte[] drain(InputStream body) {
        try (body) {
            return body.readNBytes(RECORDED_BODY_BYTES);
        } catch (IOException e) {
            return null;
        }
    }

    /** Hands a final response to the connector; the attempt is recorded by it. */
    @FunctionalInterface
    private interface Delivery<B, T> {
        T deliver(HttpResponse<B> response, int attempt, Instant started, long startNanos) throws ConnectorException;
    }

    /**
     * The policy loop shared by {@link #send} and {@link #stream}: host check, pacing, 429 waits,
     * retries of 5xx and transport failures. {@code drain} turns a body that is not delivered into
     * what gets recorded.
     */
    private <B, T> T execute(HttpCall call, HttpResponse.BodyHandler<B> handler, Function<B, byte[]> drain,
                             Delivery<B, T> delivery) throws ConnectorException {
        checkHost(call.uri());
        Duration waited = Duration.ZERO;
        int failures = 0;
        int attempt = 0;
        while (true) {
            attempt++;
            Duration left = timeLeft();
            if (!left.isNegative() && left.compareTo(Duration.ofMillis(100)) < 0) {
                throw new RetriableConnectorException("deadline", "The time allowed for this operation ran out while "
                        + "waiting on " + call.uri().getHost(), null, null, null);
            }
            HttpRequest request = toRequest(call, left.isNegative() ? call.timeout() : min(call.timeout(), left));
            if (!limiter.acquirePermission()) {
                throw new RetriableConnectorException("rate_limited", "Too many requests queued for this installation");
            }
            Instant started = clock.instant();
            long t0 = System.nanoTime();
            HttpResponse<B> response;
            try {
                response = http.send(request, handler);
            } catch (IOException e) {
                failures++;
                String error = e instanceof HttpTimeoutException ? "timed out after " + call.timeout().toMillis() + " ms"
                        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                Duration backoff = backoff(failures);
                boolean retry = call.idempotent() && failures < call.maxAttempts() && fits(waited, backoff, call);
                record(call, null, null, null, error, started, since(t0), attempt,
                        retry ? HttpAttempt.Outcome.RETRYING : HttpAttempt.Outcome.GAVE_UP);
                if (!retry) {
                    throw new RetriableConnectorException("vendor_unreachable",
                            "Could not reach " + call.uri().getHost() + " (" + error + ")", null, error, e);
                }
                waited = waited.plus(backoff);
                pause(backoff);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableConnectorException("interrupted", "The call was interrupted", null, null, e);
            }
            int status = response.statusCode();
            if (status == 429) {
                Duration wait = rateLimitWait(response);
                boolean retry = fits(waited, wait, call);
                record(call, status, drain.apply(response.body()), null, null, started, since(t0), attempt,
                        retry ? HttpAttempt.Outcome.RATE_LIMITED_RETRYING : HttpAttempt.Outcome.GAVE_UP);
                if (!retry) {
                    throw new RetriableConnectorException("rate_limited", "The vendor is rate limiting this account; "
                            + "retry after " + wait.toSeconds() + " s", wait, null, null);
                }
                waited = waited.plus(wait);
                pause(wait);
                continue;
            }
            if (status >= 500) {
                failures++;
                Duration backoff = backoff(failures);
                boolean retry = call.idempotent() && failures < call.maxAttempts() && fits(waited, backoff, call);
                record(call, status, drain.apply(response.body()), null, null, started, since(t0), attempt,
                        retry ? HttpAttempt.Outcome.RETRYING : HttpAttempt.Outcome.GAVE_UP);
                if (!retry) {
                    throw new RetriableConnectorException("vendor_error", "The vendor answered " + status + " to "
                            + call.method() + " " + call.uri().getPath() + " (" + attempt + " attempt(s))", null, null, null);
                }
                waited = waited.plus(backoff);
                pause(backoff);
                continue;
            }
            return delivery.deliver(response, attempt, started, t0);
        }
    }

    private void checkHost(URI uri) throws PermanentConnectorException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || !allowed(host)) {
            throw new PermanentConnectorException("host_not_allowed", "This connector may not call " + host
                    + "; allowed hosts: " + new TreeSet<>(allowedHosts));
        }
        guard.check(host);
    }

    /** Exact entries, and {@code *.domain} entries matching every host below the domain. */
    boolean allowed(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (allowedHosts.contains(host)) {
            return true;
        }
        for (int dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
            if (allowedHosts.contains("*" + host.substring(dot))) {
                return true;
            }
        }
        return false;
    }

    private static HttpRequest toRequest(HttpCall call, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(call.uri()).timeout(timeout)
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        return b.build();
    }

    /** How long a 429 asks us to wait: Retry-After (seconds or HTTP date), else X-RateLimit-Reset (epoch s). */
    Duration rateLimitWait(HttpResponse<?> response) {
        Optional<String> retryAfter = response.headers().firstValue("retry-after");
        if (retryAfter.isPresent()) {
            String v = retryAfter.get().strip();
            try {
                return clamp(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException notSeconds) {
                try {
                    return clamp(Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
                } catch (DateTimeParseException ignored) {
                    // fall through to the reset header
                }
            }
        }
        Optional<String> reset = response.headers().firstValue("x-ratelimit-reset");
        if (reset.isPresent()) {
            try {
                Instant at = Instant.ofEpochSecond(Long.parseLong(reset.get().strip()));
                // the reset is a whole second: wait until just after it
                return clamp(Duration.between(clock.instant(), at).plusMillis(100));
            } catch (NumberFormatException ignored) {
                // no usable hint
            }
        }
        return DEFAULT_RATE_LIMIT_WAIT;
    }

    private static Duration clamp(Duration d) {
        return d.isNegative() || d.isZero() ? Duration.ofMillis(100) : d;
    }

    /** Equal jitter: a random wait between half and all of base * 2^(n-1), capped at 30 s. */
    static Duration backoff(int failures) {
        long cap = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(failures - 1, 16));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    /** Whether waiting {@code next} more stays within the call's wait budget and the plugin call's deadline. */
    private static boolean fits(Duration waited, Duration next, HttpCall call) {
        Duration left = timeLeft();
        return waited.plus(next).compareTo(call.maxWait()) <= 0 && (left.isNegative() || next.compareTo(left) < 0);
    }

    /** Time left before the current plugin call's deadline; negative when there is none. */
    private static Duration timeLeft() {
        var nanos = dev.junction.runtime.CallDeadline.remainingNanos();
        if (nanos.isEmpty()) {
            return Duration.ofNanos(-1);
        }
        Duration left = Duration.ofNanos(nanos.getAsLong());
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Duration d) throws RetriableConnectorException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableConnectorException("interrupted", "The call was interrupted", null, null, e);
        }
    }

    /**
     * Records one attempt, masked: {@code responseBody} is recorded truncated, or {@code responseNote}
     * in its place (a streamed body is not recorded).
     */
    private void record(HttpCall call, Integer status, byte[] responseBody, String responseNote, String error,
                        Instant started, Duration latency, int attempt, HttpAttempt.Outcome outcome) {
        Set<String> secrets = call.secrets();
        recorder.accept(new HttpAttempt(call.method(), Masking.mask(call.uri().toString(), secrets),
                Masking.headers(call.headers(), secrets), Masking.body(call.body(), RECORDED_BODY_BYTES, secrets),
                status, Masking.mask(error, secrets),
                responseNote != null ? responseNote : Masking.body(responseBody, RECORDED_BODY_BYTES, secrets),
                started, latency, attempt, outcome));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The current plugin call's deadline in System.nanoTime terms, or Long.MAX_VALUE without one. */
    private static long deadlineNanos() {
        var nanos = dev.junction.runtime.CallDeadline.remainingNanos();
        return nanos.isPresent() ? System.nanoTime() + nanos.getAsLong() : Long.MAX_VALUE;
    }

    /** Lower-cased hosts; a wildcard must be {@code *.} followed by at least two labels. */
    private static Set<String> lower(Set<String> hosts) {
        Set<String> out = new HashSet<>();
        for (String h : hosts) {
            String host = h.toLowerCase(Locale.ROOT);
            if (host.contains("*") && !WILDCARD.matcher(host).matches()) {
                throw new IllegalArgumentException("allowed host " + h + ": a wildcard entry is *.<domain> with at "
                        + "least two labels, like *.example.com");
            }
            out.add(host);
        }
        return Set.copyOf(out);
    }
}
