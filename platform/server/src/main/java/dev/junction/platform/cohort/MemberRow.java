package dev.junction.platform.cohort;

/**
 * A cohort member as uploaded, before it is stored.
 *
 * @param memberKey  the user id, or {@code email:} and the normalised e-mail when there is none
 * @param email      the e-mail as given (trimmed)
 * @param traitsJson other fields, as a JSON object
 */
record MemberRow(String memberKey, String userId, String email, String firstName, String lastName, String traitsJson) {

    /** The e-mail trimmed and lower-cased, or null. */
    String emailNorm() {
        String n = EmailRules.normalise(email);
        return n == null || n.isEmpty() ? null : n;
    }

    /** Whether the vendor would accept the e-mail. */
    boolean emailValid() {
        return EmailRules.valid(emailNorm());
    }
}
