package dev.junction.spi.cohort;

/**
 * An invalid sync setting.
 *
 * @param field   the setting, e.g. {@code list_name} or {@code mapping.email}
 * @param message what is wrong, for the user
 * @since 1.0
 */
public record SettingProblem(String field, String message) { }
