package dev.junction.runtime;

import dev.junction.spi.StateStore;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link StateStore} in memory, with the platform's limits on key and value sizes. Thread-safe. */
public class MapStateStore implements StateStore {

    /** Longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 200;
    /** Longest value, in characters. */
    public static final int MAX_VALUE_LENGTH = 65_536;

    private final ConcurrentSkipListMap<String, String> entries = new ConcurrentSkipListMap<>();

    /** Refuses keys and values every {@link StateStore} refuses. */
    public static void checkLimits(String key, String value) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("state keys are 1-" + MAX_KEY_LENGTH + " characters");
        }
        if (value == null || value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("state values are non-null and at most " + MAX_VALUE_LENGTH + " characters");
        }
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void put(String key, String value) {
        checkLimits(key, value);
        entries.put(key, value);
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }

    @Override
    public Map<String, String> list(String prefix) {
        return new TreeMap<>(entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true));
    }

    /** Everything stored. */
    public Map<String, String> snapshot() {
        return new TreeMap<>(entries);
    }
}
