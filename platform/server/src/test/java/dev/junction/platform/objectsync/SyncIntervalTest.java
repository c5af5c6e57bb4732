package dev.junction.platform.objectsync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncIntervalTest {

    @Test
    void acceptsMinutesHoursDaysAndOffAndShowsTheLargestWholeUnit() {
        assertEquals(Duration.ofMinutes(15), SyncInterval.parse("15m").duration());
        assertEquals(Duration.ofHours(3), SyncInterval.parse(" 3H ").duration());
        assertEquals(Duration.ofDays(1), SyncInterval.parse("1d").duration());
        assertEquals(SyncInterval.OFF, SyncInterval.parse("off"));
        assertEquals("3h", SyncInterval.parse("180m").text());
        assertEquals("90m", SyncInterval.parse("90m").text());
        assertEquals("2d", SyncInterval.parse("48h").text());
        assertEquals("off", SyncInterval.OFF.text());
        assertEquals(10800, SyncInterval.parse("3h").seconds());
        assertEquals(SyncInterval.parse("3h"), SyncInterval.ofSeconds(10800));
        assertEquals(SyncInterval.OFF, SyncInterval.ofSeconds(null));
    }

    @Test
    void refusesTooShortTooLongAndOtherShapes() {
        for (Object bad : List.of("14m", "31d", "0h", "3", "h", "3 hours", "-1h", "1w", 3, "")) {
            assertThrows(IllegalArgumentException.class, () -> SyncInterval.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void theNextRunIsOneIntervalOnAndNoneWhenOff() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(t.plus(Duration.ofHours(3)), SyncInterval.parse("3h").nextAfter(t).orElseThrow());
        assertTrue(SyncInterval.OFF.nextAfter(t).isEmpty());
    }
}
