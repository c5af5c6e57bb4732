package dev.junction.fakeklaviyo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Klaviyo's fixed-window rate limits (burst: 1 s, steady: 1 min, daily where the spec states one), counted per API
 * key and per operation, with the limits of {@code x-klaviyo-ratelimit} scaled by the mode.
 */
final class RateLimiter {
    /** What a request was allowed, for the response headers. */
    record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {}

    private static final class Windows {
        long burstStart;
        long steadyStart;
        long dailyStart;
        int burst;
        int steady;
        int daily;
    }

    private final Map<String, Windows> windows = new ConcurrentHashMap<>();
    private volatile RateLimitMode mode;

    RateLimiter(RateLimitMode mode) {
        this.mode = mode;
    }

    RateLimitMode mode() {
        return mode;
    }

    void mode(RateLimitMode newMode) {
        this.mode = newMode;
        windows.clear();
    }

    void clear() {
        windows.clear();
    }

    /** Counts one request, or refuses it when a window is full (a refused request counts in no window). */
    Decision acquire(String key, KlaviyoSpec.Operation op, long nowMillis) {
        RateLimitMode m = mode;
        int burstLimit = m.scale(op.limits.burst());
        int steadyLimit = m.scale(op.limits.steady());
        int dailyLimit = m.scale(op.limits.daily());
        if (!m.enforced()) {
            return new Decision(true, steadyLimit, steadyLimit, 60, 0);
        }
        Windows w = windows.computeIfAbsent(key + " " + op.operationId, k -> new Windows());
        synchronized (w) {
            long second = nowMillis / 1000;
            long minute = nowMillis / 60_000;
            long day = nowMillis / 86_400_000;
            if (w.burstStart != second) {
                w.burstStart = second;
                w.burst = 0;
            }
            if (w.steadyStart != minute) {
                w.steadyStart = minute;
                w.steady = 0;
            }
            if (w.dailyStart != day) {
                w.dailyStart = day;
                w.daily = 0;
            }
            long steadyReset = Math.max(1, (minute + 1) * 60 - nowMillis / 1000);
            if (dailyLimit > 0 && w.daily >= dailyLimit) {
                long untilTomorrow = Math.max(1, (day + 1) * 86_400 - nowMillis / 1000);
                return new Decision(false, steadyLimit, 0, steadyReset, untilTomorrow);
            }
            if (steadyLimit > 0 && w.steady >= steadyLimit) {
                return new Decision(false, steadyLimit, 0, steadyReset, steadyReset);
            }
            if (burstLimit > 0 && w.burst >= burstLimit) {
                return new Decision(false, steadyLimit, Math.max(0, steadyLimit - w.steady), steadyReset, 1);
            }
            w.burst++;
            w.steady++;
            w.daily++;
            return new Decision(true, steadyLimit, Math.max(0, steadyLimit - w.steady), steadyReset, 0);
        }
    }
}
