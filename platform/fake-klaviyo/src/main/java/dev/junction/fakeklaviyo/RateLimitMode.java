package dev.junction.fakeklaviyo;

/**
 * How the fake applies the spec's published rate limits: {@link #OFF}, {@link #PUBLISHED} as written, or
 * {@link #scaled(double)} (every limit multiplied by a factor, at least 1, for benchmarks that want the shape
 * of the limits at another speed).
 *
 * @param factor the multiplier; 0 means off
 */
public record RateLimitMode(double factor) {
    /** No limits. */
    public static final RateLimitMode OFF = new RateLimitMode(0);
    /** The limits of {@code x-klaviyo-ratelimit} as published. */
    public static final RateLimitMode PUBLISHED = new RateLimitMode(1);

    public RateLimitMode {
        if (factor < 0 || Double.isNaN(factor) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number >= 0: " + factor);
        }
    }

    /**
     * The published limits times this factor (rounded up).
     *
     * @param factor greater than 0
     * @return the mode
     */
    public static RateLimitMode scaled(double factor) {
        if (factor <= 0) {
            throw new IllegalArgumentException("factor must be > 0: " + factor);
        }
        return new RateLimitMode(factor);
    }

    /**
     * Parses {@code OFF}, {@code PUBLISHED} or {@code SCALED(2.5)} / {@code SCALED:2.5} (case-insensitive).
     *
     * @param text the mode
     * @return the mode
     */
    public static RateLimitMode parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.equals("OFF")) {
            return OFF;
        }
        if (t.equals("PUBLISHED")) {
            return PUBLISHED;
        }
        if (t.startsWith("SCALED")) {
            String number = t.substring(6).replaceAll("[():=\\s]", "");
            return scaled(Double.parseDouble(number));
        }
        throw new IllegalArgumentException("rate limit mode must be OFF, PUBLISHED or SCALED(factor): " + text);
    }

    boolean enforced() {
        return factor > 0;
    }

    int scale(int published) {
        if (published == 0 || factor == 0) {
            return published;
        }
        return (int) Math.max(1, Math.ceil(published * factor));
    }

    @Override
    public String toString() {
        return factor == 0 ? "OFF" : factor == 1 ? "PUBLISHED" : "SCALED(" + factor + ")";
    }
}
