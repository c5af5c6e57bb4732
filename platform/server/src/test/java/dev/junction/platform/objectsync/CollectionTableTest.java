package dev.junction.platform.objectsync;

import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ColumnSpec;
import dev.junction.spi.objects.ColumnSpec.ColumnType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectionTableTest {

    private static CollectionSpec spec(String name, String key, ColumnSpec... columns) {
        return new CollectionSpec(name, key, List.of(columns));
    }

    private static ColumnSpec text(String name) {
        return new ColumnSpec(name, ColumnType.TEXT);
    }

    private static String problems(List<CollectionSpec> specs, boolean events) {
        return assertThrows(CollectionTable.InvalidCollectionsException.class, () -> CollectionTable.of(specs, events)).getMessage();
    }

    @Test
    void validCollectionsBecomeTables() {
        List<CollectionTable> tables = CollectionTable.of(List.of(spec("contacts", "id", text("id"), text("email")),
                spec("lists", "id", new ColumnSpec("id", ColumnType.BIGINT))), true);
        assertEquals(2, tables.size());
        assertEquals(ColumnType.BIGINT, tables.get(1).keyType());
        assertEquals(List.of(text("id"), text("email")), CollectionTable.columnsOf(tables.get(0).columnsView()));
    }

    @Test
    void namesThatCannotBeSafeIdentifiersAreRefused() {
        String p = problems(List.of(spec("Contacts", "id", text("id")), spec("x", "id", text("id"), text("e-mail"), text("raw")),
                spec("y", "id", text("id"), text("id"))), false);
        assertTrue(p.contains("collection name 'Contacts'"), p);
        assertTrue(p.contains("column name 'e-mail'"), p);
        assertTrue(p.contains("column raw is one the platform adds"), p);
        assertTrue(p.contains("column id is declared twice"), p);
        assertTrue(problems(List.of(spec("a\"; DROP TABLE x; --", "id", text("id"))), false).contains("does not match"));
    }

    @Test
    void keysMustBeTextOrBigintAndCollectionsDistinct() {
        String p = problems(List.of(spec("a", "k", new ColumnSpec("k", ColumnType.JSON)), spec("b", "id", text("id")),
                spec("b", "id", text("id"))), false);
        assertTrue(p.contains("a: key column k must be of type TEXT or BIGINT"), p);
        assertTrue(p.contains("collection b is declared twice"), p);
    }

    @Test
    void eventsIsTakenOnlyWhereTheWebhookEventsTableIs() {
        List<CollectionSpec> specs = List.of(spec("events", "id", text("id")));
        assertEquals(1, CollectionTable.of(specs, false).size());
        assertTrue(problems(specs, true).contains("taken by the webhook events table"));
    }

    @Test
    void identifiersAreQuotedOnlyWhenSafe() {
        assertEquals("\"crm\".\"contacts\"", SqlIdentifier.qualified("crm", "contacts"));
        assertThrows(IllegalArgumentException.class, () -> SqlIdentifier.quote("x\" OR 1=1"));
        assertThrows(IllegalArgumentException.class, () -> SqlIdentifier.quote("a".repeat(64)));
    }
}
