package dev.junction.platform.webhook;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/** PBKDF2-HMAC-SHA256 for webhook basic-auth passwords, compared in constant time. */
final class BasicAuthHashing {

    static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BasicAuthHashing() {
    }

    static WebhookEndpointRepository.BasicAuth create(String username, String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new WebhookEndpointRepository.BasicAuth(username, hash(password, salt, ITERATIONS), salt, ITERATIONS);
    }

    static boolean matches(WebhookEndpointRepository.BasicAuth stored, String username, String password) {
        boolean userOk = MessageDigest.isEqual(stored.username().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                username.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        boolean passwordOk = MessageDigest.isEqual(stored.passwordHash(), hash(password, stored.salt(), stored.iterations()));
        return userOk & passwordOk;
    }

    private static byte[] hash(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
