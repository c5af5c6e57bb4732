package dev.junction.testkit;

import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ColumnSpec;
import dev.junction.spi.objects.ColumnSpec.ColumnType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingRecordSinkTest {

    private static final CollectionSpec LISTS = new CollectionSpec("lists", "id", List.of(
            new ColumnSpec("id", ColumnType.TEXT), new ColumnSpec("name", ColumnType.TEXT),
            new ColumnSpec("contact_count", ColumnType.BIGINT)));
    private static final CollectionSpec CONTACTS = new CollectionSpec("contacts", "id", List.of(
            new ColumnSpec("id", ColumnType.TEXT), new ColumnSpec("score", ColumnType.DOUBLE),
            new ColumnSpec("vip", ColumnType.BOOLEAN), new ColumnSpec("created_at", ColumnType.TIMESTAMP),
            new ColumnSpec("custom_fields", ColumnType.JSON), new ColumnSpec("list_ids", ColumnType.TEXT_ARRAY)));

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void recordsAPassAndKeepsTheLastUpsertOfAKey() {
        RecordingRecordSink sink = RecordingRecordSink.of(List.of(LISTS, CONTACTS));
        sink.begin("lists");
        sink.upsert("lists", row("id", "l1", "name", "Old", "contact_count", 2L), row("id", "l1"));
        sink.upsert("lists", row("id", "l1", "name", "New", "contact_count", 3), row("id", "l1"));
        sink.upsert("lists", row("id", "l2", "name", null), row("id", "l2"));
        sink.complete("lists");
        sink.begin("contacts");
        sink.upsert("contacts", row("id", "c1", "score", 1.5, "vip", true, "created_at", Instant.EPOCH,
                "custom_fields", Map.of("tier", "gold", "n", List.of(1L, 2.5)), "list_ids", List.of("l1")), Map.of());

        assertEquals(List.of("begin lists", "complete lists", "begin contacts"), sink.events());
        assertEquals(Set.of("lists"), sink.completed());
        assertTrue(sink.isCompleted("lists"));
        assertFalse(sink.isCompleted("contacts"));
        assertEquals(3, sink.upserts("lists"));
        assertEquals(2, sink.records("lists").size());
        assertEquals("New", sink.record("lists", "l1").columns().get("name"));
        assertEquals(java.util.Arrays.asList("New", null), sink.column("lists", "name"));
        assertNull(sink.record("lists", "l3"));
    }

    @Test
    void theProtocolIsCheckedWhereItIsBroken() {
        RecordingRecordSink sink = RecordingRecordSink.of(List.of(LISTS));
        assertThrows(IllegalStateException.class, () -> sink.upsert("lists", row("id", "l1"), Map.of()), "before begin");
        assertThrows(IllegalStateException.class, () -> sink.complete("lists"), "complete before begin");
        assertThrows(IllegalStateException.class, () -> sink.begin("segments"), "undeclared collection");
        sink.begin("lists");
        assertThrows(IllegalStateException.class, () -> sink.begin("lists"), "begin twice");
        sink.complete("lists");
        assertThrows(IllegalStateException.class, () -> sink.upsert("lists", row("id", "l1"), Map.of()), "after complete");
        assertThrows(IllegalStateException.class, () -> sink.complete("lists"), "complete twice");
    }

    @Test
    void valuesAreCheckedAgainstTheColumnTypes() {
        RecordingRecordSink sink = RecordingRecordSink.of(List.of(LISTS, CONTACTS));
        sink.begin("lists");
        sink.begin("contacts");
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("lists", row("name", "x"), Map.of()), "no key");
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("lists", row("id", "l1"), null), "no raw");
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("lists", row("id", "l1", "colour", "red"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("lists", row("id", 7, "name", "x"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("lists", row("id", "l1", "contact_count", 2.5), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("lists", row("id", "l1", "contact_count", "2"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("contacts", row("id", "c", "created_at",
                "2026-01-01T00:00:00Z"), Map.of()), "timestamps are Instants");
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("contacts", row("id", "c", "list_ids",
                List.of("a", 1)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("contacts", row("id", "c", "custom_fields",
                Map.of("when", Instant.EPOCH)), Map.of()), "JSON holds JSON values only");
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("contacts", row("id", "c"),
                Map.of("at", Instant.EPOCH)), "raw holds JSON values only");
        assertThrows(IllegalArgumentException.class, () -> sink.upsert("contacts", row("id", "c", "vip", "yes"), Map.of()));
        assertEquals(0, sink.upserts("lists") + sink.upserts("contacts"));
    }

    @Test
    void collectionsAreCheckedAgainstThePlatformsNamingRules() {
        assertThrows(IllegalArgumentException.class, () -> RecordingRecordSink.of(List.of(new CollectionSpec("Lists", "id",
                List.of(new ColumnSpec("id", ColumnType.TEXT))))));
        assertThrows(IllegalArgumentException.class, () -> RecordingRecordSink.of(List.of(new CollectionSpec("lists", "id",
                List.of(new ColumnSpec("id", ColumnType.TEXT), new ColumnSpec("raw", ColumnType.JSON))))));
        assertThrows(IllegalArgumentException.class, () -> RecordingRecordSink.of(List.of(LISTS, LISTS)));
        assertThrows(IllegalArgumentException.class, () -> RecordingRecordSink.of(List.of(new CollectionSpec("lists", "id",
                List.of(new ColumnSpec("id", ColumnType.TEXT), new ColumnSpec("id", ColumnType.TEXT))))));
    }

    @Test
    void aCountingSinkChecksAndCountsButKeepsNothing() {
        RecordingRecordSink sink = RecordingRecordSink.counting(List.of(LISTS));
        sink.begin("lists");
        for (int i = 0; i < 1000; i++) {
            sink.upsert("lists", row("id", "l" + i), Map.of());
        }
        sink.complete("lists");
        assertEquals(1000, sink.upserts("lists"));
        assertThrows(IllegalStateException.class, () -> sink.records("lists"));
        RecordingRecordSink other = RecordingRecordSink.counting(List.of(LISTS));
        other.begin("lists");
        assertThrows(IllegalArgumentException.class, () -> other.upsert("lists", row("name", "no key"), Map.of()));
    }
}
