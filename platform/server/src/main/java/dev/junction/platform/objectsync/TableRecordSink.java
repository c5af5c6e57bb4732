package dev.junction.platform.objectsync;

import dev.junction.platform.PlatformJson;
import dev.junction.platform.plugin.PlatformServiceException;
import dev.junction.platform.jobs.RunClaim;
import dev.junction.platform.jobs.RunLostException;
import dev.junction.platform.jobs.RunQueue;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.spi.objects.ColumnSpec;
import dev.junction.spi.objects.RecordSink;
import io.micronaut.transaction.TransactionOperations;

import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@link RecordSink} of one run: writes what the connector emits into the installation's
 * tables in bounded batches.
 *
 * <h2>Memory and backpressure</h2>
 * Each record is written to its collection's batch as a line of COPY text at once (nothing keeps
 * the connector's maps), and a batch goes to PostgreSQL (COPY into a staging table, then one
 * {@code INSERT ... ON CONFLICT DO UPDATE}, one transaction) as soon as it holds {@code batchRows}
 * records or {@code batchBytes} characters. That happens on the connector's own thread inside
 * {@link #upsert}, which therefore returns only when there is room again: memory stays at about
 * one batch per collection being emitted, whatever the collection's size.
 *
 * <h2>Deletions</h2>
 * {@link #begin} takes the database's clock as the pass's start; every row the pass writes gets it
 * as {@code synced_at}. {@link #complete} marks the rows whose {@code synced_at} differs (not
 * emitted in this pass) deleted: one statement, no set of keys held anywhere. A pass that is never
 * completed (the run failed, or the connector did not complete it) marks nothing.
 *
 * <h2>Fencing</h2>
 * Each batch also records the run's counts, only while the run is still this attempt's: a run
 * taken over (this replica stopped beating; another one, or this one, claimed it again) or deleted
 * with its installation makes the batch roll back, and the sink refuses everything after.
 *
 * <p>Calls are serialised (a connector may emit from several threads). Failures of the platform's
 * side are thrown as {@link PlatformServiceException}, which never disables the connector; misuse
 * by the connector (an undeclared collection, a record outside a pass) is an
 * {@link IllegalArgumentException} or {@link IllegalStateException}, a defect of the plugin.
 */
final class TableRecordSink implements RecordSink {

    private final RunClaim attempt;
    private final TenantId tenant;
    private final UUID installationId;
    private final String schema;
    private final Map<String, CollectionTable> tables;
    private final CollectionTables sql;
    private final ObjectSyncRepository settings;
    private final RunQueue<?> runs;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final int batchRows;
    private final int batchBytes;
    /** Characters a batch buffer starts with; it grows to about one batch. */
    private static final int FIRST_BUFFER = 64 * 1024;
    private final Map<String, Tally> tallies = new LinkedHashMap<>();
    private final Map<String, Pass> open = new LinkedHashMap<>();
    private PlatformServiceException failure;
    private boolean closed;

    TableRecordSink(RunClaim attempt, UUID installationId, String schema,
                    Map<String, CollectionTable> tables, CollectionTables sql, ObjectSyncRepository settings,
                    RunQueue<?> runs, TransactionOperations<Connection> tx, Clock clock, int batchRows, int batchBytes) {
        this.attempt = attempt;
        this.tenant = attempt.tenant();
        this.installationId = installationId;
        this.schema = schema;
        this.tables = Map.copyOf(tables);
        this.sql = sql;
        this.settings = settings;
        this.runs = runs;
        this.tx = tx;
        this.clock = clock;
        this.batchRows = batchRows;
        this.batchBytes = batchBytes;
    }

    /** Counts of one collection over the run's passes. */
    private static final class Tally {
        long upserted;
        long inserted;
        long deleted;
        long skipped;
        long invalidValues;
        boolean complete;
        long millis;
        long storeNanos;

        PassCounts counts() {
            return new PassCounts(upserted, inserted, deleted, skipped, invalidValues, complete, millis, storeNanos / 1_000_000);
        }
    }

    /** An open pass over one collection: its start and the batch being filled (COPY text, one line a record). */
    private final class Pass {
        final CollectionTable table;
        final Tally tally;
        final Instant start;
        final long startNanos = System.nanoTime();
        final Set<String> keys = new HashSet<>();
        StringBuilder lines = new StringBuilder(FIRST_BUFFER);

        Pass(CollectionTable table, Tally tally, Instant start) {
            this.table = table;
            this.tally = tally;
            this.start = start;
        }

        boolean full() {
            return keys.size() >= batchRows || lines.length() >= batchBytes;
        }

        /** The batch, and a fresh buffer: the last batch's memory goes with it. */
        String take() {
            String batch = lines.toString();
            lines = new StringBuilder(FIRST_BUFFER);
            keys.clear();
            return batch;
        }
    }

    @Override
    public synchronized void begin(String collection) {
        usable();
        CollectionTable table = declared(collection);
        Pass previous = open.remove(collection);
        if (previous != null) {
            end(previous, false); // begun again before completing: the earlier pass ends incomplete
        }
        Instant start = storing(collection, () -> tx.executeRead(s -> sql.now()));
        open.put(collection, new Pass(table, tallies.computeIfAbsent(collection, c -> new Tally()), start));
    }

    @Override
    public synchronized void upsert(String collection, Map<String, Object> columns, Map<String, Object> raw) {
        usable();
        Pass pass = open.get(collection);
        if (pass == null) {
            declared(collection);
            throw new IllegalStateException("upsert(" + collection + ") outside a pass: call begin(" + collection + ") first");
        }
        Map<String, Object> values = columns == null ? Map.of() : columns;
        CollectionTable table = pass.table;
        Object key = ColumnValues.coerce(table.keyType(), values.get(table.keyColumn()));
        String rawJson = null;
        try {
            rawJson = raw == null ? null : ColumnValues.json(raw);
        } catch (IOException | RuntimeException notJson) {
            key = null; // an object that is not JSON cannot be kept whole: skipped like one without a key
        }
        if (key == null || key == ColumnValues.INVALID) {
            pass.tally.skipped++;
            return;
        }
        if (pass.keys.contains(key.toString())) {
            flush(pass); // a key twice in one statement cannot be upserted: the first goes out alone
        }
        pass.keys.add(key.toString());
        StringBuilder line = pass.lines;
        for (ColumnSpec c : table.columns()) {
            Object value = ColumnValues.coerce(c.type(), values.get(c.name()));
            if (value == ColumnValues.INVALID) {
                pass.tally.invalidValues++;
                value = null;
            }
            ColumnValues.appendCopy(line, c.type(), value);
            line.append('\t');
        }
        if (rawJson == null) {
            line.append("\\N");
        } else {
            ColumnValues.appendCopyText(line, rawJson);
        }
        line.append('\n');
        if (pass.full()) {
            flush(pass);
        }
    }

    @Override
    public synchronized void complete(String collection) {
        usable();
        Pass pass = open.remove(collection);
        if (pass == null) {
            declared(collection);
            throw new IllegalStateException("complete(" + collection + ") outside a pass: call begin(" + collection + ") first");
        }
        end(pass, true);
    }

    /**
     * After the connector's {@code sync} returned: writes what is buffered and ends the passes it
     * did not complete (nothing is marked deleted for those). The sink refuses calls afterwards.
     */
    synchronized Map<String, PassCounts> finish() {
        usable();
        for (Pass pass : open.values().toArray(new Pass[0])) {
            open.remove(pass.table.name());
            end(pass, false);
        }
        closed = true;
        return counts();
    }

    /** The run ended otherwise: what is buffered is dropped, and calls are refused from now on. */
    synchronized void abandon() {
        closed = true;
        open.clear();
    }

    /** The counts so far, by collection. */
    synchronized Map<String, PassCounts> counts() {
        Map<String, PassCounts> out = new LinkedHashMap<>();
        tallies.forEach((name, t) -> out.put(name, t.counts()));
        return out;
    }

    private void flush(Pass pass) {
        if (pass.keys.isEmpty()) {
            return;
        }
        String rows = pass.take();
        storing(pass.table.name(), () -> tx.executeWrite(s -> {
            CollectionTables.Upserted done = sql.upsert(schema, pass.table, pass.start, rows);
            pass.tally.upserted += done.rows();
            pass.tally.inserted += done.inserted();
            fence();
            return null;
        }));
    }

    /** Writes the rest of a pass, marks deletions when it is complete, and records the collection's counts. */
    private void end(Pass pass, boolean complete) {
        flush(pass);
        storing(pass.table.name(), () -> tx.executeWrite(s -> {
            Instant now = Instant.now(clock);
            if (complete) {
                pass.tally.deleted += sql.markDeleted(schema, pass.table, pass.start, now);
            }
            pass.tally.complete = complete;
            pass.tally.millis += (System.nanoTime() - pass.startNanos) / 1_000_000;
            settings.recordCounts(tenant, installationId, pass.table.name(), sql.count(schema, pass.table.name()), now, complete);
            fence();
            return null;
        }));
    }

    /** Records the counts, failing (and so rolling back the caller's transaction) when the run is no longer ours. */
    private void fence() {
        runs.recordProgress(attempt, PlatformJson.write(counts()), Instant.now(clock));
    }

    private <T> T storing(String collection, Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } catch (RunLostException e) {
            failure = new PlatformServiceException("Stopped: " + e.getMessage(), null);
            throw failure;
        } catch (RuntimeException e) {
            failure = new PlatformServiceException("Could not store collection " + collection + ": " + e.getMessage(), e);
            throw failure;
        } finally {
            Tally tally = tallies.get(collection);
            if (tally != null) {
                tally.storeNanos += System.nanoTime() - t0;
            }
        }
    }

    private CollectionTable declared(String collection) {
        CollectionTable table = tables.get(collection);
        if (table == null) {
            throw new IllegalArgumentException("collection " + collection + " is not among the connector's collections "
                    + tables.keySet());
        }
        return table;
    }

    private void usable() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("the sync call has ended: the sink takes no more records");
        }
    }
}
