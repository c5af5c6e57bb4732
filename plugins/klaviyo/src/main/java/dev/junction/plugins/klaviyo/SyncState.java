package dev.junction.plugins.klaviyo;

import dev.junction.spi.StateStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * What one cohort sync keeps in its own state ({@link dev.junction.spi.cohort.CohortSyncRun#state()},
 * which the platform scopes to the sync): its list ({@code list}, JSON) and, per member it added,
 * the Klaviyo profile id ({@code member.<sha-256 of the e-mail>}), so that a removal removes exactly
 * the profile this sync added, and only members it added. Keys stay short whatever the e-mail.
 */
final class SyncState {

    private final StateStore store;

    SyncState(StateStore syncState) {
        this.store = syncState;
    }

    Optional<String> list() {
        return store.get("list");
    }

    void list(String json) {
        store.put("list", json);
    }

    /** The profile id this sync added for the e-mail (case-insensitive), if any. */
    Optional<String> profileId(String email) {
        return store.get(memberKey(email));
    }

    void added(String email, String profileId) {
        store.put(memberKey(email), profileId);
    }

    void removed(String email) {
        store.delete(memberKey(email));
    }

    private String memberKey(String email) {
        return "member." + sha256(email.strip().toLowerCase(Locale.ROOT));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
