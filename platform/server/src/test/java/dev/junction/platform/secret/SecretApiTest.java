package dev.junction.platform.secret;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.CapturedLogs;
import dev.junction.platform.support.TestDatabase;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.tenant.TenantService;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class SecretApiTest extends ApiTestBase {

    @Inject
    SecretService secrets;
    @Inject
    TenantService tenants;

    private static String secretValue() {
        return "SG.test-" + UUID.randomUUID() + "-do-not-leak";
    }

    @Test
    void putCreatesThenVersionsAndNeverReturnsTheValue() {
        String t = newTenant("sec");
        String v1 = secretValue();
        String v2 = secretValue();
        List<Api.Response> responses = new ArrayList<>();

        Api.Response created = tenantAdmin(t).put("/v1/admin/secrets/sendgrid.api_key", Map.of("value", v1));
        responses.add(created);
        assertEquals(201, created.status(), created.toString());
        assertEquals(1, created.json().get("version").asInt());
        assertEquals("sendgrid.api_key", created.json().get("name").asText());

        Api.Response replaced = tenantAdmin(t).put("/v1/admin/secrets/sendgrid.api_key", Map.of("value", v2));
        responses.add(replaced);
        assertEquals(200, replaced.status());
        assertEquals(2, replaced.json().get("version").asInt());
        assertEquals(created.json().get("created_at"), replaced.json().get("created_at"));

        Api.Response list = tenantAdmin(t).get("/v1/admin/secrets");
        responses.add(list);
        JsonNode item = list.json().get("items").get(0);
        assertEquals(List.of("created_at", "name", "updated_at", "version"),
                iterate(item.fieldNames()).stream().sorted().toList(), "metadata only");
        responses.add(tenantAdmin(t).get("/v1/admin/secrets/sendgrid.api_key"));

        for (Api.Response r : responses) {
            assertFalse(r.body().contains(v1) || r.body().contains(v2), "value in a response: " + r);
        }
        assertEquals(v2, secrets.reveal(tenantId(t), "sendgrid.api_key").orElseThrow());
        assertNoLogContains(v1);
        assertNoLogContains(v2);
    }

    @Test
    void valuesAreEncryptedAtRest() throws Exception {
        String t = newTenant("rest");
        String value = secretValue();
        tenantAdmin(t).put("/v1/admin/secrets/k", Map.of("value", value));
        try (Connection c = TestDatabase.connect();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM secret WHERE tenant_id = ?")) {
            ps.setObject(1, tenantId(t).value());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    byte[] column = rs.getBytes(i);
                    String text = column == null ? "" : new String(column, StandardCharsets.ISO_8859_1);
                    assertFalse(text.contains(value), "plaintext in column " + rs.getMetaData().getColumnName(i));
                }
            }
        }
    }

    @Test
    void badInputIs4xxProblemAndNeverEchoesTheValue() {
        String t = newTenant("bad");
        String value = secretValue();
        Api admin = tenantAdmin(t);
        List<Api.Response> bad = List.of(
                admin.put("/v1/admin/secrets/has%20space", Map.of("value", value)),
                admin.put("/v1/admin/secrets/" + "x".repeat(129), Map.of("value", value)),
                admin.put("/v1/admin/secrets/.hidden", Map.of("value", value)),
                admin.put("/v1/admin/secrets/ok", Map.of("value", "")),
                admin.put("/v1/admin/secrets/ok", Map.of("value", "x".repeat(SecretService.MAX_VALUE_LENGTH + 1))),
                admin.put("/v1/admin/secrets/ok", "{\"value\": \"" + value + "\""),
                admin.put("/v1/admin/secrets/ok", "{\"value\": {\"nested\": \"" + value + "\"}}"),
                admin.put("/v1/admin/secrets/ok", "[\"" + value + "\"]"),
                admin.send("PUT", "/v1/admin/secrets/ok", "text/plain", value.getBytes(StandardCharsets.UTF_8)));
        for (Api.Response r : bad) {
            assertTrue(r.status() >= 400 && r.status() < 500, r.toString());
            assertEquals("application/problem+json", r.contentType(), r.toString());
            assertFalse(r.body().contains(value), "value echoed: " + r);
        }
        assertEquals(422, bad.get(0).status());
        assertEquals("name", bad.get(0).json().get("errors").get(0).get("parameter").asText());
        assertEquals(422, bad.get(3).status());
        assertEquals("/value", bad.get(3).json().get("errors").get(0).get("pointer").asText());
        assertEquals(422, bad.get(4).status());
        assertEquals(400, bad.get(5).status());
        assertEquals(415, bad.get(8).status());
        assertEquals(0, admin.get("/v1/admin/secrets").json().get("items").size(), "nothing stored");
        assertNoLogContains(value);
    }

    @Test
    void deleteRemovesTheSecret() {
        String t = newTenant("del");
        tenantAdmin(t).put("/v1/admin/secrets/tmp", Map.of("value", "x"));
        assertEquals(204, tenantAdmin(t).delete("/v1/admin/secrets/tmp").status());
        assertEquals(404, tenantAdmin(t).get("/v1/admin/secrets/tmp").status());
        assertEquals(404, tenantAdmin(t).delete("/v1/admin/secrets/tmp").status());
        assertTrue(secrets.reveal(tenantId(t), "tmp").isEmpty());
    }

    @Test
    void ciphertextMovedToAnotherTenantOrNameDoesNotDecrypt() throws Exception {
        String a = newTenant("owner");
        String b = newTenant("thief");
        String value = secretValue();
        tenantAdmin(a).put("/v1/admin/secrets/api_key", Map.of("value", value));
        tenantAdmin(b).put("/v1/admin/secrets/api_key", Map.of("value", "b's own"));
        tenantAdmin(a).put("/v1/admin/secrets/other_name", Map.of("value", "a's other"));

        copySealedColumns(tenantId(a), "api_key", tenantId(b), "api_key");
        SecretUnreadableException swapped = assertThrows(SecretUnreadableException.class,
                () -> secrets.reveal(tenantId(b), "api_key"));
        assertFalse(swapped.getMessage().contains(value));

        copySealedColumns(tenantId(a), "api_key", tenantId(a), "other_name");
        assertThrows(SecretUnreadableException.class, () -> secrets.reveal(tenantId(a), "other_name"));

        assertEquals(value, secrets.reveal(tenantId(a), "api_key").orElseThrow(), "the original still decrypts");
    }

    private static void copySealedColumns(TenantId from, String fromName, TenantId to, String toName) throws Exception {
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement("""
                UPDATE secret dst SET ciphertext = src.ciphertext, nonce = src.nonce, wrapped_key = src.wrapped_key,
                       wrap_nonce = src.wrap_nonce, kek_id = src.kek_id
                FROM secret src WHERE src.tenant_id = ? AND src.name = ? AND dst.tenant_id = ? AND dst.name = ?""")) {
            ps.setObject(1, from.value());
            ps.setString(2, fromName);
            ps.setObject(3, to.value());
            ps.setString(4, toName);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private TenantId tenantId(String slug) {
        return tenants.findBySlug(slug).orElseThrow().id();
    }

    static void assertNoLogContains(String value) {
        List<String> leaks = CapturedLogs.containing(value);
        assertTrue(leaks.isEmpty(), "secret value in logs: " + leaks);
        assertFalse(CapturedLogs.lines().isEmpty(), "log capture is working");
    }

    private static <T> List<T> iterate(java.util.Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
