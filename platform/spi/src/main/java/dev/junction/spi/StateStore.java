package dev.junction.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Durable key-value state of one installation, kept by the platform in its database and deleted
 * with the installation. Keys are up to 200 characters; values up to 64 KB of text (store JSON via
 * {@link ConnectorContext#json()} for structure). Writes are visible to the next call immediately,
 * also on other replicas.
 *
 * @since 1.0
 */
public interface StateStore {

    Optional<String> get(String key);

    void put(String key, String value);

    void delete(String key);

    /** All entries whose key starts with {@code prefix}, in key order. */
    Map<String, String> list(String prefix);
}
