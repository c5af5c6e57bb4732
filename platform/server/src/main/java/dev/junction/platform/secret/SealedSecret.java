package dev.junction.platform.secret;

/**
 * A secret value as stored: the value encrypted under its own data key, and the data key
 * wrapped by a master key ({@code kekId}). Both use AES-256-GCM with the tenant id and secret
 * name as associated data.
 */
record SealedSecret(byte[] ciphertext, byte[] nonce, byte[] wrappedKey, byte[] wrapNonce, String kekId) { }
