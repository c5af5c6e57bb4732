package dev.junction.platform.secret;

import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Envelope encryption of secret values. Each value gets a fresh 256-bit data key; the value is
 * sealed with AES-256-GCM under the data key, and the data key is sealed under the current master
 * key. The associated data binds both to the tenant id and secret name, so a ciphertext copied to
 * another tenant's (or another name's) row fails to decrypt instead of leaking.
 */
@Singleton
final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKeyRing keys;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(MasterKeyRing keys) {
        this.keys = keys;
    }

    SealedSecret seal(TenantId tenant, String name, byte[] plaintext) {
        byte[] dataKey = randomBytes(MasterKeyRing.KEY_BYTES);
        try {
            byte[] nonce = randomBytes(NONCE_BYTES);
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), nonce,
                    valueAad(tenant, name), plaintext);
            MasterKeyRing.Kek kek = keys.current();
            byte[] wrapNonce = randomBytes(NONCE_BYTES);
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kek.key(), wrapNonce, keyAad(tenant, name), dataKey);
            return new SealedSecret(ciphertext, nonce, wrapped, wrapNonce, kek.id());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    byte[] open(TenantId tenant, String name, SealedSecret sealed) {
        byte[] dataKey = unwrap(tenant, name, sealed);
        try {
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), sealed.nonce(),
                    valueAad(tenant, name), sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new SecretUnreadableException(name, "its ciphertext does not belong to this tenant and name, or was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Re-wraps the data key under the current master key; the value ciphertext is unchanged. */
    SealedSecret rewrap(TenantId tenant, String name, SealedSecret sealed) {
        byte[] dataKey = unwrap(tenant, name, sealed);
        try {
            MasterKeyRing.Kek kek = keys.current();
            byte[] wrapNonce = randomBytes(NONCE_BYTES);
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kek.key(), wrapNonce, keyAad(tenant, name), dataKey);
            return new SealedSecret(sealed.ciphertext(), sealed.nonce(), wrapped, wrapNonce, kek.id());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private byte[] unwrap(TenantId tenant, String name, SealedSecret sealed) {
        MasterKeyRing.Kek kek = keys.find(sealed.kekId()).orElseThrow(() -> new SecretUnreadableException(name,
                "its data key is wrapped by master key " + sealed.kekId()
                        + ", which is neither JUNCTION_MASTER_KEY nor listed in JUNCTION_PREVIOUS_MASTER_KEYS"));
        try {
            return gcm(Cipher.DECRYPT_MODE, kek.key(), sealed.wrapNonce(), keyAad(tenant, name), sealed.wrappedKey());
        } catch (AEADBadTagException e) {
            throw new SecretUnreadableException(name, "its data key does not belong to this tenant and name, or was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    private static byte[] valueAad(TenantId tenant, String name) {
        return ("junction-secret-value:v1:" + tenant.value() + ":" + name).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] keyAad(TenantId tenant, String name) {
        return ("junction-secret-key:v1:" + tenant.value() + ":" + name).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
