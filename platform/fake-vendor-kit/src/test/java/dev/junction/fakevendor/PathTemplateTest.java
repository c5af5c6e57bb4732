package dev.junction.fakevendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathTemplateTest {
    @Test
    void matchesOneSegmentPerParameterAndDecodesValues() {
        PathTemplate t = new PathTemplate("/v3/marketing/lists/{id}/contacts");
        assertEquals(Optional.of(Map.of("id", "a b+c")),
                t.match("/v3/marketing/lists/a%20b+c/contacts", QueryStrings::decodePath));
        assertFalse(t.matches("/v3/marketing/lists//contacts"));
        assertFalse(t.matches("/v3/marketing/lists/a/b/contacts"));
        assertEquals(4, t.literalSegments());
    }

    @Test
    void indexPrefersLiteralSegmentsAndKnowsPathsOfOtherMethods() {
        record Op(String method, PathTemplate path) {
        }
        Op byId = new Op("GET", new PathTemplate("/contacts/{id}"));
        Op count = new Op("GET", new PathTemplate("/contacts/count"));
        OperationIndex<Op> index = new OperationIndex<>(List.of(byId, count), Op::method, Op::path);
        assertEquals(count, index.match("GET", "/contacts/count", x -> x).orElseThrow().operation());
        assertEquals(Map.of("id", "42"), index.match("GET", "/contacts/42", x -> x).orElseThrow().pathParams());
        assertTrue(index.match("DELETE", "/contacts/42", x -> x).isEmpty());
        assertTrue(index.knowsPath("/contacts/42"));
        assertFalse(index.knowsPath("/lists/42"));
    }

    @Test
    void queryStringsKeepOrderAndRepeatedNames() {
        assertEquals(Map.of("a", List.of("1 2", "3"), "b", List.of("")), QueryStrings.parse("a=1+2&b&a=3"));
        assertEquals(Map.of(), QueryStrings.parse(null));
        assertEquals("3", QueryStrings.first(List.of("3", "4")));
    }
}
