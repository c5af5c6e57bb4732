package dev.junction.fakesendgrid;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The public, immutable views of the store's records that {@link FakeSendGrid} hands to tests. */
final class Snapshots {
    private Snapshots() {}

    static FakeContact of(Store.Contact c) {
        Map<String, String> fieldsByName = new LinkedHashMap<>();
        if (c.reserved() != null) {
            for (Reserved r : Reserved.values()) {
                String v = c.reserved()[r.ordinal()];
                if (v != null) {
                    fieldsByName.put(r.wire, v);
                }
            }
        }
        if (c.alternateEmails() != null) {
            fieldsByName.put("alternate_emails", String.join(",", c.alternateEmails()));
        }
        return new FakeContact(c.id(), c.email(), c.get(Reserved.FIRST_NAME), c.get(Reserved.LAST_NAME),
                c.get(Reserved.PHONE_NUMBER), c.get(Reserved.EXTERNAL_ID), fieldsByName,
                c.custom() == null ? Map.of() : c.custom(), Set.of(c.listIds()),
                Instant.ofEpochMilli(c.createdAt()), Instant.ofEpochMilli(c.updatedAt()));
    }

    static FakeList of(Store.ListRec l) {
        return new FakeList(l.id, l.name, l.members.size(), Instant.ofEpochMilli(l.createdAt));
    }

    static Segment of(Store store, Store.SegmentRec s) {
        return new Segment(s.id, s.name, s.queryDsl, s.parentListIds, store.segmentCount(s),
                Instant.ofEpochMilli(s.createdAt), Instant.ofEpochMilli(s.createdAt));
    }
}
