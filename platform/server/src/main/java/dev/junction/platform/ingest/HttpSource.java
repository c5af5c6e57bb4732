package dev.junction.platform.ingest;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's HTTP source: where its own apps and servers send events with a write key.
 *
 * @param keyHint           the first characters of the current write key (the key itself is shown once)
 * @param previousExpiresAt when the key replaced by the last rotation stops working, or null
 */
public record HttpSource(UUID id, String name, String keyHint, Instant createdAt, Instant rotatedAt,
                         Instant previousExpiresAt) { }
