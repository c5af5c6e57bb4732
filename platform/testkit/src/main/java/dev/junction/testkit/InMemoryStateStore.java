package dev.junction.testkit;

import dev.junction.runtime.MapStateStore;

/**
 * The state store of a {@link TestContext}: in memory, with the platform's limits on key and value
 * sizes; {@link #snapshot()} shows everything stored, for assertions.
 */
public final class InMemoryStateStore extends MapStateStore {
}
