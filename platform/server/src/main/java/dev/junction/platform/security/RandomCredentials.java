package dev.junction.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random bearer credentials (webhook URL ids, tracking write keys): 192 random bits, URL-safe
 * base64 (32 characters). They are stored and looked up by SHA-256 only, so neither a database
 * index walk nor a string comparison on the raw value can leak it through timing, and a database
 * dump does not reveal it. (No slow hash: 192 random bits cannot be guessed.)
 */
public final class RandomCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 24;
    /** Characters of a credential, after any prefix. */
    public static final int LENGTH = 32;

    private RandomCredentials() {
    }

    public static String newValue() {
        byte[] b = new byte[BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Whether the text could be a value we issued (cheap pre-filter before any lookup). */
    public static boolean wellFormed(String value) {
        return value != null && value.length() == LENGTH
                && value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    public static byte[] hash(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
