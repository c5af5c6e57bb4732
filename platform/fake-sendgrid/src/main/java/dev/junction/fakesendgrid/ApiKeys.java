package dev.junction.fakesendgrid;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The API keys the fake accepts: each with the scope names it shows and the permissions endpoints check. */
final class ApiKeys {

    /** One key: what {@code GET /v3/scopes} lists, and what the endpoints let it do. */
    record Key(Set<String> scopes, Set<Permission> permissions) {}

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final String defaultKey;

    ApiKeys(String defaultKey) {
        this.defaultKey = defaultKey;
        reset();
    }

    /** Forgets every key but the default one, which gets full Marketing access again. */
    void reset() {
        keys.clear();
        keys.put(defaultKey, new Key(FakeSendGrid.MARKETING_SCOPES, Permission.all()));
    }

    void put(String key, Collection<String> scopes, Collection<Permission> permissions) {
        keys.put(Objects.requireNonNull(key, "key"), new Key(Set.copyOf(scopes), Set.copyOf(permissions)));
    }

    void remove(String key) {
        keys.remove(key);
    }

    /** The key, or null when the fake does not know it. */
    Key get(String key) {
        return keys.get(key);
    }
}
