package dev.junction.platform.objectsync;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often an installation's objects sync by themselves: {@code off}, or minutes, hours or days
 * ({@code "15m"}, {@code "3h"}, {@code "1d"}), from 15 minutes to 30 days. Vendors rate-limit
 * their APIs, and a full pass over a large account takes a while: more often than every 15
 * minutes would mostly queue runs behind each other.
 *
 * @param duration the interval, or null for {@code off}
 */
record SyncInterval(@Nullable Duration duration) {

    static final SyncInterval OFF = new SyncInterval(null);
    static final Duration MIN = Duration.ofMinutes(15);
    static final Duration MAX = Duration.ofDays(30);
    private static final Pattern TEXT = Pattern.compile("^(\\d{1,6})\\s*([mhd])$");

    /** Parses the API form; the message of the exception says what is accepted. */
    static SyncInterval parse(Object value) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("must be a string such as \"15m\", \"3h\", \"1d\" or \"off\"");
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("off")) {
            return OFF;
        }
        Matcher m = TEXT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be minutes, hours or days such as \"15m\", \"3h\", \"1d\", or \"off\"");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("must be between 15m and 30d, or \"off\"");
        }
        return new SyncInterval(d);
    }

    /** From the stored number of seconds (null: off). */
    static SyncInterval ofSeconds(@Nullable Integer seconds) {
        return seconds == null ? OFF : new SyncInterval(Duration.ofSeconds(seconds));
    }

    /** The stored number of seconds, or null when off. */
    @Nullable Integer seconds() {
        return duration == null ? null : Math.toIntExact(duration.toSeconds());
    }

    /** The API form, in the largest whole unit: {@code 90m}, {@code 3h}, {@code 2d}, {@code off}. */
    String text() {
        if (duration == null) {
            return "off";
        }
        long minutes = duration.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return minutes / (24 * 60) + "d";
        }
        return minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    /** When the next scheduled run is due after one starting at {@code from}; empty when off. */
    Optional<Instant> nextAfter(Instant from) {
        return Optional.ofNullable(duration).map(from::plus);
    }
}
