package dev.junction.platform.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cohorts and their membership through the API. */
@MicronautTest(transactional = false)
class CohortApiTest extends ApiTestBase {

    private Api.Response upload(Api who, String key, String type, String body) {
        return who.send("PUT", "/v1/admin/cohorts/" + key + "/members", type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> memberKeys(String tenantSlug, String cohortKey) throws Exception {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT m.member_key FROM cohort_member m JOIN cohort co ON co.id = m.cohort_id
                JOIN tenant t ON t.id = co.tenant_id WHERE t.slug = ? AND co.key = ? ORDER BY 1""")) {
            ps.setString(1, tenantSlug);
            ps.setString(2, cohortKey);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    @Test
    void createGetListDelete() {
        String t = newTenant("cohorts");
        Api admin = tenantAdmin(t);
        Api.Response created = admin.post("/v1/admin/cohorts", Map.of("key", "vip", "name", "VIP customers"));
        assertEquals(201, created.status(), created.toString());
        assertEquals(0, created.json().get("member_count").asInt());
        assertEquals(409, admin.post("/v1/admin/cohorts", Map.of("key", "vip", "name", "again")).status());
        assertEquals(422, admin.post("/v1/admin/cohorts", Map.of("key", "Bad Key", "name", "x")).status());
        assertEquals("VIP customers", admin.get("/v1/admin/cohorts/vip").json().get("name").asText());
        assertEquals(1, admin.get("/v1/admin/cohorts").json().get("items").size());
        assertEquals(204, admin.delete("/v1/admin/cohorts/vip").status());
        assertEquals(404, admin.get("/v1/admin/cohorts/vip").status());
    }

    @Test
    void ndjsonSnapshotReplacesTheMembershipAndReportsBadLines() throws Exception {
        String t = newTenant("ndjson");
        Api admin = tenantAdmin(t);
        admin.post("/v1/admin/cohorts", Map.of("key", "all", "name", "All"));
        String body = """
                {"user_id":"u1","email":"Ada@Example.com","first_name":"Ada","last_name":"Lovelace","plan":"pro"}
                {"user_id":"u2","email":"grace@example.com"}
                not json at all
                {"email":"nouser@example.com"}
                [1,2,3]
                {"first_name":"no id"}

                {"user_id":"u3"}
                {"user_id":"u1","email":"ada@example.com","first_name":"Ada","last_name":"Byron"}
                """;
        Api.Response r = upload(admin, "all", "application/x-ndjson", body);
        assertEquals(200, r.status(), r.toString());
        JsonNode report = r.json();
        assertEquals(4, report.get("members").asInt(), "u1 (last line wins), u2, e-mail only, u3");
        assertEquals(3, report.get("bad_lines").asInt());
        List<Long> lines = new ArrayList<>();
        report.get("errors").forEach(e -> lines.add(e.get("line").asLong()));
        assertEquals(List.of(3L, 5L, 6L), lines);
        assertTrue(report.at("/errors/2/reason").asText().contains("user_id or an email"));
        assertEquals(List.of("email:nouser@example.com", "u1", "u2", "u3"), memberKeys(t, "all"));

        Api.Response replaced = upload(admin, "all", "application/x-ndjson", "{\"user_id\":\"u9\",\"email\":\"z@z.io\"}\n");
        assertEquals(1, replaced.json().get("members").asInt());
        assertEquals(List.of("u9"), memberKeys(t, "all"), "a snapshot replaces, not merges");
    }

    @Test
    void csvWithAHeaderRow() throws Exception {
        String t = newTenant("csv");
        Api admin = tenantAdmin(t);
        admin.post("/v1/admin/cohorts", Map.of("key", "csv", "name", "CSV"));
        String body = "user_id,email,first_name,last_name,city\n"
                + "c1,one@example.com,One,First,Paris\n"
                + "c2,\"two@example.com\",\"Two, Jr.\",Second,Lyon\n"
                + "c3,three@example.com\n"
                + ",four@example.com,Four,,\n";
        Api.Response r = upload(admin, "csv", "text/csv", body);
        assertEquals(200, r.status(), r.toString());
        assertEquals(3, r.json().get("members").asInt());
        assertEquals(1, r.json().get("bad_lines").asInt());
        assertEquals(4, r.json().at("/errors/0/line").asInt(), "line 4 (the header is line 1) has too few fields");
        assertEquals(List.of("c1", "c2", "email:four@example.com"), memberKeys(t, "csv"));

        Api.Response broken = upload(admin, "csv", "text/csv", "user_id,email\nx1,\"unclosed@example.com\n");
        assertEquals(400, broken.status(), broken.toString());
        assertEquals(List.of("c1", "c2", "email:four@example.com"), memberKeys(t, "csv"), "nothing changed");
        assertEquals(415, upload(admin, "csv", "application/xml", "<x/>").status());
    }

    @Test
    void incrementalAddAndRemove() throws Exception {
        String t = newTenant("incr");
        Api admin = tenantAdmin(t);
        admin.post("/v1/admin/cohorts", Map.of("key", "k", "name", "K"));
        Api.Response added = admin.post("/v1/admin/cohorts/k/members/add", Map.of("members", List.of(
                Map.of("user_id", "a", "email", "a@x.io"), Map.of("email", "B@X.io"), Map.of("first_name", "nobody"))));
        assertEquals(200, added.status(), added.toString());
        assertEquals(2, added.json().get("members").asInt());
        assertEquals(1, added.json().get("bad_lines").asInt());
        Api.Response removed = admin.post("/v1/admin/cohorts/k/members/remove", Map.of("members", List.of(
                Map.of("email", "b@x.io"), Map.of("user_id", "nobody-at-all"))));
        assertEquals(1, removed.json().get("removed").asInt());
        assertEquals(List.of("a"), memberKeys(t, "k"));
    }

    @Test
    void anotherTenantCannotTouchIt() {
        String a = newTenant("coh-a");
        String b = newTenant("coh-b");
        tenantAdmin(a).post("/v1/admin/cohorts", Map.of("key", "secret-audience", "name", "A's"));
        Api other = tenantAdmin(b);
        assertEquals(404, other.get("/v1/admin/cohorts/secret-audience").status());
        assertEquals(404, upload(other, "secret-audience", "application/x-ndjson", "{\"user_id\":\"x\"}\n").status());
        assertEquals(404, other.post("/v1/admin/cohorts/secret-audience/members/add", Map.of("members", List.of())).status());
        assertEquals(404, other.delete("/v1/admin/cohorts/secret-audience").status());
        assertEquals(0, other.get("/v1/admin/cohorts").json().get("items").size());
        assertEquals(403, viewer(a).post("/v1/admin/cohorts", Map.of("key", "v", "name", "v")).status());
    }
}
