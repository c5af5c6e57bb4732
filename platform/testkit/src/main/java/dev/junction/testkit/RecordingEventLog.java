package dev.junction.testkit;

import dev.junction.runtime.http.HttpAttempt;
import dev.junction.spi.EventLog;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps what a connector logged and every HTTP attempt its client made, as the platform's live
 * event log would show them.
 */
public final class RecordingEventLog implements EventLog {

    /** One {@link EventLog#record} call. */
    public record Entry(Level level, String name, String message, Map<String, Object> fields) { }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<HttpAttempt> httpAttempts = new CopyOnWriteArrayList<>();

    @Override
    public void record(Level level, String name, String message, Map<String, Object> fields) {
        entries.add(new Entry(level, name, message, Map.copyOf(fields)));
    }

    void recordHttp(HttpAttempt attempt) {
        httpAttempts.add(attempt);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Entries with this name. */
    public List<Entry> named(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** Every HTTP attempt, masked as the platform records it. */
    public List<HttpAttempt> httpAttempts() {
        return List.copyOf(httpAttempts);
    }

    /** Everything recorded, as text: useful to assert a secret never appears. */
    public String dump() {
        StringBuilder b = new StringBuilder();
        entries.forEach(e -> b.append(e).append('\n'));
        httpAttempts.forEach(a -> b.append(a).append('\n'));
        return b.toString();
    }
}
