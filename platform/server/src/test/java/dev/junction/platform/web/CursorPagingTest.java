package dev.junction.platform.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lists page with one cursor encoding ({@link Cursor}): every item once, in order, whatever its key
 * holds; a cursor that is not one the list returned (garbage, or another list's) is a 422 naming
 * {@code cursor}.
 */
@MicronautTest(transactional = false)
class CursorPagingTest extends ApiTestBase {

    @Test
    void cursorsRoundTripAnyKeyText() {
        for (String key : List.of("plain", "with|bar", "line\nbreak", "\"quoted\" é ☃")) {
            assertEquals(key, Cursor.readText(Cursor.of(key)));
        }
        assertEquals(List.of("2026-12-02T10:00:00Z", "42"), Cursor.read(Cursor.of("2026-12-02T10:00:00Z", 42L), p -> p));
        assertNull(Cursor.readText(null));
    }

    @Test
    void secretsCohortsAndSourcesPageEveryItemOnce() {
        String t = newTenant("paging");
        Api admin = tenantAdmin(t);
        List<String> names = List.of("a.one", "b.two", "c.three", "d.four", "e.five");
        for (String n : names) {
            assertEquals(201, admin.put("/v1/admin/secrets/" + n, Map.of("value", "v")).status());
            assertEquals(201, admin.post("/v1/admin/cohorts", Map.of("key", n.replace('.', '-'), "name", n)).status());
            assertEquals(201, admin.post("/v1/admin/sources", Map.of("name", n)).status());
        }
        assertEquals(names, walk(admin, "/v1/admin/secrets", "name"));
        assertEquals(names.stream().map(n -> n.replace('.', '-')).toList(), walk(admin, "/v1/admin/cohorts", "key"));
        assertEquals(names, walk(admin, "/v1/admin/sources", "name"));
    }

    @Test
    void aCursorTheListDidNotReturnIs422() {
        String t = newTenant("badcursor");
        Api admin = tenantAdmin(t);
        admin.post("/v1/admin/sources", Map.of("name", "one"));
        admin.post("/v1/admin/sources", Map.of("name", "two"));
        String sourcesCursor = admin.get("/v1/admin/sources?limit=1").json().get("next_cursor").asText();
        for (String bad : List.of("garbage", Cursor.of("x", "y", "z"), sourcesCursor)) {
            Api.Response r = admin.get("/v1/admin/secrets?cursor=" + bad);
            assertEquals(422, r.status(), bad + " on the secrets list: " + r);
            assertTrue(r.body().contains("cursor"), r.toString());
        }
        assertEquals(422, admin.get("/v1/admin/events?cursor=" + Cursor.of("not-an-event-id")).status());
        assertEquals(422, admin.get("/v1/admin/deliveries?cursor=" + Cursor.of("12x")).status());
    }

    private static List<String> walk(Api admin, String path, String field) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get(path + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(i -> seen.add(i.get(field).asText()));
            cursor = page.hasNonNull("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return seen;
    }
}
