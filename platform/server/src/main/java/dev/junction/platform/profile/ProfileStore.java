package dev.junction.platform.profile;

import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The per-tenant profile store: what the platform knows of each user from the tenant's own
 * events, so that a destination needing an e-mail can deliver a {@code track} that carries none.
 * Writes join the caller's transaction (the one that stores the events), so a profile never
 * counts an event twice: duplicates are dropped before they reach it.
 */
@Singleton
public class ProfileStore {

    private final ProfileRepository profiles;
    private final TransactionOperations<Connection> tx;

    ProfileStore(ProfileRepository profiles, TransactionOperations<Connection> tx) {
        this.profiles = profiles;
        this.tx = tx;
    }

    /** Applies one batch's changes; at most one update per user key. */
    public void apply(TenantId tenant, List<ProfileUpdate> updates, Map<String, String> userIdByAnonymousId, Instant now) {
        tx.executeWrite(s -> {
            profiles.apply(tenant, updates, now);
            profiles.alias(tenant, userIdByAnonymousId, now);
            return null;
        });
    }

    /** Profiles of these user keys (anonymous keys follow their alias), by the key asked for. */
    public Map<String, Profile> find(TenantId tenant, Collection<String> userKeys) {
        return tx.executeRead(s -> profiles.find(tenant, userKeys)).stream()
                .collect(Collectors.toMap(Profile::userKey, Function.identity(), (a, b) -> a));
    }

    public Profile get(TenantId tenant, String userKey) {
        return tx.executeRead(s -> profiles.find(tenant, userKey))
                .orElseThrow(() -> ApiException.notFound("Profile of user " + userKey));
    }
}
