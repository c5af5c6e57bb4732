package dev.junction.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Durable key-value state of one installation, kept by the platform in its database and deleted
 * with the installation. Keys are up to 200 characters; values up to 64 KB of text (store JSON via
 * {@link ConnectorContext#json()} for structure). Writes are visible to the next call immediately,
 * also on other replicas.
 *
 * <p>For state of one part of the installation (one cohort sync) use a {@link #scoped} view; a
 * cohort run hands one out ready-made as {@link dev.junction.spi.cohort.CohortSyncRun#state()}.
 *
 * @since 1.0
 */
public interface StateStore {

    Optional<String> get(String key);

    void put(String key, String value);

    void delete(String key);

    /** All entries whose key starts with {@code prefix}, in key order. */
    Map<String, String> list(String prefix);

    /**
     * A view of this store in which every key is prefixed with {@code prefix}: {@code scoped("a/").put("k", v)}
     * writes {@code a/k}, and {@link #list} of the view returns its keys without the prefix. The
     * prefix counts toward the key length limit.
     *
     * @param prefix a non-empty prefix, conventionally ending in {@code /}
     * @since 1.0
     */
    default StateStore scoped(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be empty");
        }
        StateStore outer = this;
        return new StateStore() {
            @Override
            public Optional<String> get(String key) {
                return outer.get(prefix + key);
            }

            @Override
            public void put(String key, String value) {
                outer.put(prefix + key, value);
            }

            @Override
            public void delete(String key) {
                outer.delete(prefix + key);
            }

            @Override
            public Map<String, String> list(String keyPrefix) {
                Map<String, String> out = new LinkedHashMap<>();
                outer.list(prefix + keyPrefix).forEach((k, v) -> out.put(k.substring(prefix.length()), v));
                return out;
            }
        };
    }
}
