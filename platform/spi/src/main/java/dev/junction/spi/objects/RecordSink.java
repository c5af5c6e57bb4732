package dev.junction.spi.objects;

import java.util.Map;

/**
 * Where {@link ObjectSync#sync} emits records. The platform batches writes; calls return quickly.
 *
 * <p>Calls come from the thread running {@link ObjectSync#sync}. Passes over several collections may
 * overlap: a connector that derives one collection from another's objects (list memberships from
 * contacts) begins both and emits into both as it reads. A key may be upserted more than once in a
 * pass (a download read again after it broke off); the last upsert wins.
 *
 * @since 1.0
 */
public interface RecordSink {

    /** A pass over {@code collection} starts. */
    void begin(String collection);

    /**
     * One object: typed column values by column name (JSON-compatible Java values; timestamps as
     * {@link java.time.Instant}) and the vendor's full object.
     */
    void upsert(String collection, Map<String, Object> columns, Map<String, Object> raw);

    /** Every object of {@code collection} was emitted in this pass. */
    void complete(String collection);
}
