package dev.junction.platform.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;

/**
 * The master keys ({@code junction.master-key} and {@code junction.previous-master-keys}, from
 * {@code JUNCTION_MASTER_KEY} and {@code JUNCTION_PREVIOUS_MASTER_KEYS}). {@link MasterKeyRing}
 * checks them and says what is wrong; {@link #toString()} never shows them.
 *
 * @param masterKey          the base64 of the current 32-byte key
 * @param previousMasterKeys comma-separated earlier keys, still read during a rotation
 */
@Context
@ConfigurationProperties("junction")
record MasterKeySettings(@Nullable String masterKey, @Nullable String previousMasterKeys) {

    @Override
    public String toString() {
        return "MasterKeySettings[masterKey=" + (masterKey == null ? "unset" : "(hidden)") + ", previousMasterKeys="
                + (previousMasterKeys == null ? "unset" : "(hidden)") + "]";
    }
}
