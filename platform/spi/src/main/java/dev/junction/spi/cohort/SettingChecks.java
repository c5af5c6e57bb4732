package dev.junction.spi.cohort;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks most {@link CohortSync#validate} implementations make, as problems ready to return:
 * a list name the vendor can keep and find again, and a mapping limited to the fields the connector
 * syncs.
 *
 * @since 1.0
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    /**
     * Problems with {@link CohortSyncSettings#listName()}: blank, longer than {@code maxLength}
     * code points, or with leading or trailing spaces (lists are found again by exact name, and a
     * vendor that trims names would never match).
     *
     * @param vendor    the vendor's name, for the messages, e.g. {@code SendGrid}
     * @param maxLength the longest name the connector accepts
     */
    public static List<SettingProblem> listName(CohortSyncSettings settings, String vendor, int maxLength) {
        String name = settings.listName();
        if (name == null || name.isBlank()) {
            return List.of(new SettingProblem("list_name", "Name the " + vendor + " list to keep equal to the cohort."));
        }
        int length = name.codePointCount(0, name.length());
        if (length > maxLength) {
            return List.of(new SettingProblem("list_name", vendor + " list names may be at most " + maxLength
                    + " characters; this one has " + length + "."));
        }
        if (!name.equals(name.strip())) {
            return List.of(new SettingProblem("list_name", "The list name must not start or end with spaces."));
        }
        return List.of();
    }

    /**
     * Problems with {@link CohortSyncSettings#mapping()}: a required key missing or blank, or a key
     * the connector does not sync.
     *
     * @param vendor   the vendor's name, for the messages
     * @param synced   the mapping keys the connector syncs (see {@link CohortMember} for what fills them)
     * @param required those of them that must be mapped
     */
    public static List<SettingProblem> mapping(CohortSyncSettings settings, String vendor, List<String> synced,
                                               List<String> required) {
        List<SettingProblem> problems = new ArrayList<>();
        for (String key : required) {
            String field = settings.mapping().get(key);
            if (field == null || field.isBlank()) {
                problems.add(new SettingProblem("mapping." + key, "Map " + vendor + "'s " + key + " to a member field."));
            }
        }
        for (String key : settings.mapping().keySet()) {
            if (!synced.contains(key)) {
                problems.add(new SettingProblem("mapping." + key, vendor + " field " + key + " is not synced: this "
                        + "connector syncs " + String.join(", ", synced) + " only."));
            }
        }
        return problems;
    }
}
