package dev.junction.platform.secret;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key-encryption keys: the current master key, which wraps every new data key, and previous
 * master keys that are still accepted for unwrapping while their data keys are re-wrapped
 * ({@code junction.previous-master-keys}, comma-separated). Keys are identified by a fingerprint
 * stored beside each wrapped data key.
 *
 * <p>Loaded eagerly so that a missing or malformed key stops start-up with a clear message.
 */
@Context
final class MasterKeyRing {

    /** Bytes of an AES-256 key. */
    public static final int KEY_BYTES = 32;

    private final Kek current;
    private final Map<String, Kek> byId = new LinkedHashMap<>();

    /** A key-encryption key and its fingerprint. */
    record Kek(String id, SecretKey key) { }

    MasterKeyRing(MasterKeySettings settings) {
        String masterKey = settings.masterKey();
        String previousKeys = settings.previousMasterKeys();
        if (masterKey == null || masterKey.isBlank()) {
            throw new ConfigurationException("JUNCTION_MASTER_KEY is not set: it must be the base64 of "
                    + KEY_BYTES + " random bytes (for example: openssl rand -base64 32)");
        }
        this.current = parse(masterKey, "JUNCTION_MASTER_KEY");
        byId.put(current.id(), current);
        if (previousKeys != null) {
            for (String k : previousKeys.split(",")) {
                if (!k.isBlank()) {
                    Kek kek = parse(k, "JUNCTION_PREVIOUS_MASTER_KEYS");
                    byId.putIfAbsent(kek.id(), kek);
                }
            }
        }
    }

    Kek current() {
        return current;
    }

    Optional<Kek> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The fingerprint of the current master key, as stored with each wrapped data key. */
    public String currentKeyId() {
        return current.id();
    }

    static Kek parse(String base64, String variable) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(variable + " is not valid base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new ConfigurationException(variable + " must decode to exactly " + KEY_BYTES
                    + " bytes, got " + bytes.length);
        }
        return new Kek(fingerprint(bytes), new SecretKeySpec(bytes, "AES"));
    }

    /** First 8 bytes of SHA-256 over a domain-separated copy of the key: names it, reveals nothing. */
    private static String fingerprint(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("junction-master-key-id:".getBytes(StandardCharsets.US_ASCII));
            sha.update(key);
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
