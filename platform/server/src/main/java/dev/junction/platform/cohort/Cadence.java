package dev.junction.platform.cohort;

import io.micronaut.scheduling.cron.CronExpression;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * When a sync runs by itself: {@code manual} (never), {@code hourly}, {@code daily} (00:00 UTC), or a
 * five-field cron expression in UTC ({@code minute hour day-of-month month day-of-week}).
 */
record Cadence(String text) {

    static Cadence parse(String text) {
        String t = text == null ? "manual" : text.strip();
        if (!(t.equals("manual") || t.equals("hourly") || t.equals("daily"))) {
            String[] fields = t.split("\\s+");
            if (fields.length != 5) {
                throw new IllegalArgumentException("must be manual, hourly, daily or a cron expression of five fields "
                        + "(minute hour day-of-month month day-of-week), e.g. \"0 6 * * *\"");
            }
            try {
                CronExpression.create("0 " + t).nextTimeAfter(ZonedDateTime.now(ZoneOffset.UTC));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("is not a valid cron expression: " + e.getMessage());
            }
        }
        return new Cadence(t);
    }

    /** The next scheduled run strictly after {@code after}; empty for manual. */
    Optional<Instant> nextAfter(Instant after) {
        ZonedDateTime now = after.atZone(ZoneOffset.UTC);
        return switch (text) {
            case "manual" -> Optional.empty();
            case "hourly" -> Optional.of(now.truncatedTo(ChronoUnit.HOURS).plusHours(1).toInstant());
            case "daily" -> Optional.of(now.truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant());
            default -> Optional.of(CronExpression.create("0 " + text).nextTimeAfter(now).toInstant());
        };
    }
}
