package dev.junction.platform.config;

import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;

/**
 * Checks shared by the features' {@code @ConfigurationProperties} records. Numbers are checked
 * with jakarta constraints ({@code @Positive}, {@code @Min}) on the record components; a
 * {@link Duration} has no such constraint, so the records' compact constructors call these, and a
 * bad value stops the start with the property's name in the message.
 */
public final class Settings {

    private Settings() {
    }

    /** {@code value} when it is longer than zero; otherwise a {@link ConfigurationException} naming {@code property}. */
    public static Duration positive(String property, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new ConfigurationException(property + " must be a positive duration (such as 30s or 5m), was " + value);
        }
        return value;
    }
}
