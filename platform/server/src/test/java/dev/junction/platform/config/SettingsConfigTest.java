package dev.junction.platform.config;

import dev.junction.platform.support.TestDatabase;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad setting stops the start, and the message names the property: the features'
 * {@code @ConfigurationProperties} records check their ranges.
 */
class SettingsConfigTest {

    private static String failure(String property, String value) {
        Exception e = assertThrows(Exception.class, () -> {
            try (ApplicationContext ignored = ApplicationContext.builder().environments("test")
                    .properties(Map.of("datasources.default.url", TestDatabase.url(), property, value)).start()) {
                // started: the assertion fails
            }
        }, property + "=" + value + " must stop the start");
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void aConcurrencyOfZeroStopsTheStartAndSaysWhichSetting() {
        String messages = failure("junction.object-sync.concurrency", "0");
        assertTrue(messages.contains("concurrency") && messages.contains("must be greater than 0"), messages);
    }

    @Test
    void aZeroCallTimeoutStopsTheStartAndSaysWhichSetting() {
        String messages = failure("junction.delivery.call-timeout", "0s");
        assertTrue(messages.contains("junction.delivery.call-timeout must be a positive duration"), messages);
    }

    @Test
    void aNegativeWorkerCountStopsTheStart() {
        String messages = failure("junction.delivery.workers", "-1");
        assertTrue(messages.contains("workers") && messages.contains("must be greater than or equal to 0"), messages);
    }
}
