package dev.junction.fakesendgrid;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The e-mail rules the fake applies (SendGrid does not publish its exact validator; see README).
 * An address is normalised by trimming and lower-casing, then must look like {@code local@domain.tld}.
 */
final class EmailAddresses {
    /** The spec's {@code maxLength} for {@code email} in {@code ContactRequest}. */
    static final int MAX_LENGTH = 254;
    static final int MAX_LOCAL_LENGTH = 64;

    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    private EmailAddresses() {}

    static String normalise(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** Returns null when the (already normalised) address is acceptable, else the reason. */
    static String problem(String email) {
        if (email == null || email.isEmpty()) {
            return "email is required";
        }
        if (email.length() > MAX_LENGTH) {
            return "email must be at most " + MAX_LENGTH + " characters";
        }
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1) {
            return "email is not a valid address";
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (local.length() > MAX_LOCAL_LENGTH || !LOCAL.matcher(local).matches()) {
            return "email is not a valid address";
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return "email is not a valid address";
        }
        for (int i = 0; i < labels.length - 1; i++) {
            if (!LABEL.matcher(labels[i]).matches()) {
                return "email is not a valid address";
            }
        }
        if (!TLD.matcher(labels[labels.length - 1]).matches()) {
            return "email is not a valid address";
        }
        return null;
    }
}
