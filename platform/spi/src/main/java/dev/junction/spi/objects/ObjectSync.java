package dev.junction.spi.objects;

import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;

import java.util.List;

/**
 * Pulls the vendor's objects into tables the tenant can query. The connector describes its
 * collections and emits records; the platform owns the schema (creates and migrates tables),
 * upserts in batches, marks objects missing from a complete pass as deleted, and records runs.
 *
 * @since 1.0
 */
public interface ObjectSync extends ConnectorCapability {

    /** The collections this connector fills; stable across versions (columns may be added). No I/O. */
    List<CollectionSpec> collections();

    /**
     * One pass over the vendor's objects: for each collection, {@link RecordSink#begin}, records,
     * then {@link RecordSink#complete} when every object was emitted (which lets the platform
     * mark the rest deleted).
     */
    void sync(ConnectorContext context, RecordSink sink) throws ConnectorException;
}
