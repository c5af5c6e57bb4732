package dev.junction.spi.cohort;

import java.util.Map;

/**
 * One cohort member as the platform hands it to a sync: the e-mail already trimmed and
 * lower-cased (members are unique by it within a run), mapped fields resolved.
 *
 * @param email     the normalised e-mail
 * @param firstName mapped first name, or null
 * @param lastName  mapped last name, or null
 * @param userId    the member's user id, or null
 * @param traits    other traits, JSON-compatible
 * @since 1.0
 */
public record CohortMember(String email, String firstName, String lastName, String userId, Map<String, Object> traits) {
    public CohortMember {
        traits = traits == null ? Map.of() : traits;
    }
}
