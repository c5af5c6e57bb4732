package dev.junction.spi.cohort;

import java.util.Map;

/**
 * One cohort member as the platform hands it to a sync. Which member field fills which component is
 * set by the sync's {@link CohortSyncSettings#mapping() mapping}, whose keys are fixed:
 * <table>
 *   <caption>Mapping keys and the components they fill</caption>
 *   <tr><th>Mapping key</th><th>Component</th><th>Value</th></tr>
 *   <tr><td>{@code email} (required, always {@code "email"})</td><td>{@link #email()}</td>
 *       <td>trimmed and lower-cased; members are unique by it within a run, and a member whose
 *       e-mail is missing or invalid never reaches the connector (the platform reports it)</td></tr>
 *   <tr><td>{@code first_name}</td><td>{@link #firstName()}</td><td rowspan="2">the member field the
 *       mapping names ({@code first_name}, {@code last_name}, {@code email}, {@code user_id}, or a
 *       trait name), trimmed; null when unmapped, missing or blank</td></tr>
 *   <tr><td>{@code last_name}</td><td>{@link #lastName()}</td></tr>
 *   <tr><td>(none)</td><td>{@link #userId()}</td><td>the member's user id, always, when it has one</td></tr>
 * </table>
 * Other mapping keys are not resolved by the platform in SPI 1.0: {@link #traits()} is empty, and a
 * connector that needs more vendor fields reads the mapping from the settings and refuses what it
 * cannot honour in {@link CohortSync#validate}.
 *
 * @param email     the normalised e-mail
 * @param firstName mapped first name, or null
 * @param lastName  mapped last name, or null
 * @param userId    the member's user id, or null
 * @param traits    further mapped values, JSON-compatible (empty in SPI 1.0, see above)
 * @since 1.0
 */
public record CohortMember(String email, String firstName, String lastName, String userId, Map<String, Object> traits) {
    public CohortMember {
        traits = traits == null ? Map.of() : Map.copyOf(traits);
    }
}
