package dev.junction.platform.secret;

/**
 * A stored secret could not be decrypted: wrong tenant or name (a copied ciphertext), tampering,
 * or a master key that is no longer configured. The message names the secret, never its value.
 */
final class SecretUnreadableException extends RuntimeException {
    SecretUnreadableException(String name, String why) {
        super("Secret '" + name + "' cannot be decrypted: " + why);
    }
}
