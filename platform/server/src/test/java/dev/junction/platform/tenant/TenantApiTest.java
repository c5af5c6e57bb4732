package dev.junction.platform.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class TenantApiTest extends ApiTestBase {

    @Test
    void createReturns201WithTheTenant() {
        String slug = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response r = platformAdmin().post("/v1/admin/tenants", Map.of("slug", slug, "name", "Acme Inc."));

        assertEquals(201, r.status(), r.toString());
        JsonNode t = r.json();
        assertEquals(slug, t.get("slug").asText());
        assertEquals("Acme Inc.", t.get("name").asText());
        UUID.fromString(t.get("id").asText());
        assertTrue(t.get("created_at").asText().endsWith("Z"));
        assertEquals("/v1/admin/tenants/" + slug, r.headers().firstValue("location").orElseThrow());

        Api.Response got = platformAdmin().get("/v1/admin/tenants/" + slug);
        assertEquals(200, got.status());
        assertEquals(t, got.json());
    }

    @Test
    void duplicateSlugIs409AndChangesNothing() {
        String slug = newTenant("dup");
        Api.Response r = platformAdmin().post("/v1/admin/tenants", Map.of("slug", slug, "name", "Other name"));
        assertEquals(409, r.status());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("dup Inc.", platformAdmin().get("/v1/admin/tenants/" + slug).json().get("name").asText());
    }

    @Test
    void invalidSlugsAndNamesAre422WithPointers() {
        for (String bad : List.of("A", "a", "-abc", "has space", "UPPER", "a".repeat(64), "ünï")) {
            Api.Response r = platformAdmin().post("/v1/admin/tenants", Map.of("slug", bad, "name", "x"));
            assertEquals(422, r.status(), bad + " -> " + r);
            assertEquals("/slug", r.json().get("errors").get(0).get("pointer").asText());
        }
        Api.Response r = platformAdmin().post("/v1/admin/tenants", Map.of("slug", "ok-slug-" + UUID.randomUUID().toString().substring(0, 6), "name", " "));
        assertEquals(422, r.status());
        assertEquals("/name", r.json().get("errors").get(0).get("pointer").asText());
        Api.Response missing = platformAdmin().post("/v1/admin/tenants", Map.of());
        assertEquals(422, missing.status());
        assertEquals(2, missing.json().get("errors").size(), missing.toString());
    }

    @Test
    void listIsPagedBySlug() {
        String prefix = "pg" + UUID.randomUUID().toString().substring(0, 6);
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(newTenant(prefix));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response r = platformAdmin().get("/v1/admin/tenants?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, r.status(), r.toString());
            JsonNode page = r.json();
            assertTrue(page.get("items").size() <= 2);
            page.get("items").forEach(t -> seen.add(t.get("slug").asText()));
            cursor = page.has("next_cursor") ? page.get("next_cursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10_000);
        assertTrue(seen.containsAll(made));
        assertEquals(seen.stream().sorted().toList(), seen, "ordered by slug");
        assertEquals(new HashSet<>(seen).size(), seen.size(), "no tenant twice");

        assertEquals(422, platformAdmin().get("/v1/admin/tenants?limit=0").status());
        assertEquals(422, platformAdmin().get("/v1/admin/tenants?limit=501").status());
        assertEquals(400, platformAdmin().get("/v1/admin/tenants?limit=abc").status());
    }

    @Test
    void deleteRemovesTheTenantAndItsSecrets() {
        String slug = newTenant("gone");
        assertEquals(201, tenantAdmin(slug).put("/v1/admin/secrets/key", Map.of("value", "v")).status());
        String oldToken = dev.junction.platform.support.Tokens.tenantAdmin(slug);

        assertEquals(204, platformAdmin().delete("/v1/admin/tenants/" + slug).status());
        assertEquals(404, platformAdmin().get("/v1/admin/tenants/" + slug).status());
        assertEquals(404, platformAdmin().delete("/v1/admin/tenants/" + slug).status());
        assertEquals(401, api().as(oldToken).get("/v1/admin/secrets").status(), "token of a deleted tenant");

        // recreating the slug yields a new, empty tenant
        assertEquals(201, platformAdmin().post("/v1/admin/tenants", Map.of("slug", slug, "name", "again")).status());
        JsonNode secrets = tenantAdmin(slug).get("/v1/admin/secrets").json();
        assertEquals(0, secrets.get("items").size());
        assertFalse(secrets.has("next_cursor"));
    }
}
