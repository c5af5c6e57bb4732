package dev.junction.testkit;

import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ColumnSpec;
import dev.junction.spi.objects.ObjectSync;
import dev.junction.spi.objects.RecordSink;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An in-memory {@link RecordSink} for testing an {@link ObjectSync} without the platform: one sink is
 * one pass. It checks every call against the connector's {@link CollectionSpec}s and the protocol
 * as it happens, throwing {@link IllegalStateException} (or {@link IllegalArgumentException} for a
 * bad value) where the mistake is, and records what was emitted.
 * <pre>{@code
 * RecordingRecordSink sink = RecordingRecordSink.of(sync.collections());
 * sync.sync(ctx, sink);                                      // ctx: a TestContext
 * assertEquals(Set.of("lists", "contacts"), sink.completed());
 * assertEquals("Newsletter", sink.record("lists", listId).columns().get("name"));
 * assertEquals(3, sink.records("contacts").size());         // by key, the last upsert wins
 * }</pre>
 *
 * <p>What it checks, like the platform:
 * <ul>
 *   <li>Collection and column names match {@code ^[a-z][a-z0-9_]{0,62}$}, are unique, and no column
 *       is named like one the platform adds ({@code raw}, {@code synced_at}, {@code deleted_at}).</li>
 *   <li>{@code begin} once per collection and pass, then {@code upsert}s, then at most one
 *       {@code complete}; nothing for a collection after its {@code complete}; only declared
 *       collections.</li>
 *   <li>Every upsert has its key column, non-null; only declared columns; values of the column's
 *       type: TEXT a {@code String}, BIGINT an integral {@code Number}, DOUBLE a {@code Number},
 *       BOOLEAN a {@code Boolean}, TIMESTAMP an {@link Instant}, JSON and {@code raw} JSON-compatible
 *       values ({@code Map} with string keys, {@code List}, {@code String}, {@code Number},
 *       {@code Boolean}, null), TEXT_ARRAY a {@code List} of non-null {@code String}s; null for
 *       any other column. {@code raw} is required.</li>
 * </ul>
 * Upserting the same key twice in a pass is allowed (it is an upsert); {@link #upserts(String)}
 * counts calls, {@link #records(String)} keeps the last. {@link #counting} keeps no records, only
 * counts, for tests that stream many objects. Thread-safe.
 */
public final class RecordingRecordSink implements RecordSink {

    /** What collection and column names look like. */
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");
    /** Columns the platform adds to every collection. */
    public static final Set<String> PLATFORM_COLUMNS = Set.of("raw", "synced_at", "deleted_at");

    /** One emitted object: its typed columns and the vendor's object, as given (copied). */
    public record Record(Map<String, Object> columns, Map<String, Object> raw) { }

    private enum State { BEGUN, COMPLETED }

    private final Map<String, CollectionSpec> specs = new LinkedHashMap<>();
    private final Map<String, Map<String, ColumnSpec.ColumnType>> types = new LinkedHashMap<>();
    private final boolean keep;
    private final Map<String, State> states = new LinkedHashMap<>();
    private final Map<String, Long> upserts = new LinkedHashMap<>();
    private final Map<String, Map<String, Record>> records = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();

    private RecordingRecordSink(List<CollectionSpec> collections, boolean keep) {
        this.keep = keep;
        for (CollectionSpec c : collections) {
            checkName("collection", c.name());
            if (specs.put(c.name(), c) != null) {
                throw new IllegalArgumentException("collection " + c.name() + " is declared twice");
            }
            Map<String, ColumnSpec.ColumnType> columns = new LinkedHashMap<>();
            for (ColumnSpec col : c.columns()) {
                checkName("column of " + c.name(), col.name());
                if (PLATFORM_COLUMNS.contains(col.name())) {
                    throw new IllegalArgumentException("column " + c.name() + "." + col.name()
                            + " is one the platform adds itself " + PLATFORM_COLUMNS);
                }
                if (columns.put(col.name(), col.type()) != null) {
                    throw new IllegalArgumentException("column " + c.name() + "." + col.name() + " is declared twice");
                }
            }
            types.put(c.name(), Collections.unmodifiableMap(columns));
        }
    }

    /** A sink for one pass over these collections (from {@link ObjectSync#collections()}) that keeps every record. */
    public static RecordingRecordSink of(List<CollectionSpec> collections) {
        return new RecordingRecordSink(collections, true);
    }

    /** Like {@link #of}, but keeps no records: checks and counts only (for passes over many objects). */
    public static RecordingRecordSink counting(List<CollectionSpec> collections) {
        return new RecordingRecordSink(collections, false);
    }

    private static void checkName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name + "' must match " + NAME);
        }
    }

    // ------------------------------------------------------------------ the SPI

    @Override
    public synchronized void begin(String collection) {
        spec(collection, "begin");
        if (states.containsKey(collection)) {
            throw new IllegalStateException("begin(" + collection + ") twice in one pass");
        }
        states.put(collection, State.BEGUN);
        upserts.put(collection, 0L);
        if (keep) {
            records.put(collection, new LinkedHashMap<>());
        }
        events.add("begin " + collection);
    }

    @Override
    public synchronized void upsert(String collection, Map<String, Object> columns, Map<String, Object> raw) {
        CollectionSpec spec = spec(collection, "upsert");
        requireBegun(collection, "upsert");
        Objects.requireNonNull(columns, "columns");
        if (raw == null) {
            throw new IllegalArgumentException("upsert(" + collection + ") without raw: pass the vendor's object");
        }
        Object key = columns.get(spec.keyColumn());
        if (key == null) {
            throw new IllegalArgumentException("upsert(" + collection + ") without its key column " + spec.keyColumn()
                    + ": " + columns);
        }
        Map<String, ColumnSpec.ColumnType> declared = types.get(collection);
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            ColumnSpec.ColumnType type = declared.get(e.getKey());
            if (type == null) {
                throw new IllegalArgumentException("upsert(" + collection + ") with undeclared column " + e.getKey()
                        + " (declared: " + declared.keySet() + ")");
            }
            String problem = e.getValue() == null ? null : problem(type, e.getValue());
            if (problem != null) {
                throw new IllegalArgumentException(collection + "." + e.getKey() + " (" + type + "): " + problem);
            }
        }
        String rawProblem = jsonProblem(raw);
        if (rawProblem != null) {
            throw new IllegalArgumentException(collection + " raw: " + rawProblem);
        }
        upserts.merge(collection, 1L, Long::sum);
        if (keep) {
            records.get(collection).put(String.valueOf(key), new Record(Collections.unmodifiableMap(
                    new LinkedHashMap<>(columns)), Collections.unmodifiableMap(new LinkedHashMap<>(raw))));
        }
    }

    @Override
    public synchronized void complete(String collection) {
        spec(collection, "complete");
        requireBegun(collection, "complete");
        states.put(collection, State.COMPLETED);
        events.add("complete " + collection);
    }

    private CollectionSpec spec(String collection, String call) {
        CollectionSpec spec = specs.get(collection);
        if (spec == null) {
            throw new IllegalStateException(call + "(" + collection + "): not a declared collection " + specs.keySet());
        }
        return spec;
    }

    private void requireBegun(String collection, String call) {
        State s = states.get(collection);
        if (s == null) {
            throw new IllegalStateException(call + "(" + collection + ") before begin(" + collection + ")");
        }
        if (s == State.COMPLETED) {
            throw new IllegalStateException(call + "(" + collection + ") after complete(" + collection + ")");
        }
    }

    /** Why a non-null value does not fit the type, or null when it does. */
    static String problem(ColumnSpec.ColumnType type, Object v) {
        return switch (type) {
            case TEXT -> v instanceof String ? null : "a String expected, got " + v.getClass().getName();
            case BIGINT -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    || v instanceof BigInteger ? null : "an integral Number expected, got " + v.getClass().getName();
            case DOUBLE -> v instanceof Number ? null : "a Number expected, got " + v.getClass().getName();
            case BOOLEAN -> v instanceof Boolean ? null : "a Boolean expected, got " + v.getClass().getName();
            case TIMESTAMP -> v instanceof Instant ? null : "a java.time.Instant expected, got " + v.getClass().getName();
            case JSON -> jsonProblem(v);
            case TEXT_ARRAY -> v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String) ? null
                    : "a List of Strings expected, got " + v;
        };
    }

    /** Why a value is not JSON-compatible, or null when it is. */
    static String jsonProblem(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte || v instanceof Double || v instanceof Float
                || v instanceof BigDecimal || v instanceof BigInteger) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    return "a map key is not a String: " + e.getKey();
                }
                String p = jsonProblem(e.getValue());
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (v instanceof List<?> l) {
            for (Object x : l) {
                String p = jsonProblem(x);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        return "not a JSON-compatible value: " + v.getClass().getName();
    }

    // ------------------------------------------------------------------ what was emitted

    /** {@code begin <collection>} and {@code complete <collection>} in call order (upserts left out). */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Collections begun in this pass, in order. */
    public synchronized Set<String> begun() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(states.keySet()));
    }

    /** Collections completed in this pass, in order of completion. */
    public synchronized Set<String> completed() {
        Set<String> out = new LinkedHashSet<>();
        events.stream().filter(e -> e.startsWith("complete ")).forEach(e -> out.add(e.substring("complete ".length())));
        return out;
    }

    /** Whether {@code collection} was completed. */
    public synchronized boolean isCompleted(String collection) {
        return states.get(collection) == State.COMPLETED;
    }

    /** How many upserts {@code collection} got in this pass (repeated keys counted every time). */
    public synchronized long upserts(String collection) {
        return upserts.getOrDefault(collection, 0L);
    }

    /** The records of {@code collection} by key (as text), the last upsert of a key winning, in first-upsert order. */
    public synchronized Map<String, Record> records(String collection) {
        requireKept();
        return Collections.unmodifiableMap(new LinkedHashMap<>(records.getOrDefault(collection, Map.of())));
    }

    /** One record by key, or null. */
    public synchronized Record record(String collection, String key) {
        requireKept();
        return records.getOrDefault(collection, Map.of()).get(key);
    }

    /** The values of one column over the records of {@code collection}, in record order. */
    public synchronized List<Object> column(String collection, String column) {
        requireKept();
        List<Object> out = new ArrayList<>();
        records.getOrDefault(collection, Map.of()).values().forEach(r -> out.add(r.columns().get(column)));
        return out;
    }

    private void requireKept() {
        if (!keep) {
            throw new IllegalStateException("a counting sink keeps no records; use RecordingRecordSink.of(...)");
        }
    }
}
