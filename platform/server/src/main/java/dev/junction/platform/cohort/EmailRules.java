package dev.junction.platform.cohort;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * When an e-mail is worth sending to a vendor: trimmed and lower-cased, then {@code local@domain.tld}
 * with the character rules SendGrid applies in practice (it publishes no exact validator; the fake
 * SendGrid applies the same rules). Checked once, when a member is written.
 */
final class EmailRules {

    static final String REGEX = "^(?=.{1,254}$)(?=[^@]{1,64}@)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$";
    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private EmailRules() {
    }

    static String normalise(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    static boolean valid(String normalised) {
        return normalised != null && PATTERN.matcher(normalised).matches();
    }
}
