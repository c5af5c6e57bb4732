package dev.junction.fakesendgrid;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a segment seeded through {@link FakeSendGrid#addSegment}.
 *
 * <p>The fake does not evaluate segment queries: a segment's members are the contacts it was seeded
 * with (and that still exist).
 *
 * @param id the segment id (a UUID)
 * @param name the segment name
 * @param queryDsl the segment's query text, returned as {@code query_dsl}
 * @param parentListIds the parent list ids (empty for none)
 * @param contactCount the number of member contacts that still exist
 * @param createdAt when the segment was created
 * @param updatedAt when the segment was last changed
 */
public record Segment(String id, String name, String queryDsl, List<String> parentListIds, long contactCount,
        Instant createdAt, Instant updatedAt) {
    /**
     * Creates a snapshot, copying the list.
     *
     * @param id the segment id
     * @param name the name
     * @param queryDsl the query text
     * @param parentListIds parent list ids (copied)
     * @param contactCount the member count
     * @param createdAt when created
     * @param updatedAt when last changed
     */
    public Segment {
        parentListIds = List.copyOf(parentListIds);
    }
}
