package dev.junction.platform.eventlog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The public id of an event log entry, {@code <recorded_at in epoch microseconds>-<sequence>}:
 * it locates the row's partition directly and orders entries newest-first.
 */
public record EventId(Instant recordedAt, long seq) {

    public static EventId parse(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("not an event id: " + text);
        }
        long micros = Long.parseLong(text.substring(0, dash));
        long seq = Long.parseLong(text.substring(dash + 1));
        return new EventId(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), seq);
    }

    @Override
    public String toString() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, recordedAt) + "-" + seq;
    }
}
