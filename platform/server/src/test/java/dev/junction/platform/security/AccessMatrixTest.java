package dev.junction.platform.security;

import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.Tokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every role against every kind of endpoint, on its own tenant and on another one. A tenant's
 * token asking for another tenant's resources gets 404, never 403: existence is not disclosed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest extends ApiTestBase {

    private String a;
    private String b;

    @BeforeAll
    void tenants() {
        a = newTenant("alpha");
        b = newTenant("beta");
        assertEquals(201, platformAdminOf(b).put("/v1/admin/secrets/b-key", Map.of("value", "b-value")).status());
        assertEquals(201, platformAdminOf(a).put("/v1/admin/secrets/a-key", Map.of("value", "a-value")).status());
    }

    private int status(Api who, String method, String path) {
        return switch (method) {
            case "GET" -> who.get(path).status();
            case "DELETE" -> who.delete(path).status();
            case "POST" -> who.post(path, Map.of("slug", "x-" + System.nanoTime(), "name", "n")).status();
            case "PUT" -> who.put(path, Map.of("value", "v")).status();
            default -> throw new IllegalArgumentException(method);
        };
    }

    @Test
    void platformAdminActsOnAnyTenantByHeader() {
        Api pa = super.platformAdmin();
        assertEquals(200, status(pa, "GET", "/v1/admin/tenants"));
        assertEquals(201, status(pa, "POST", "/v1/admin/tenants"));
        assertEquals(200, status(pa, "GET", "/v1/admin/tenants/" + a));
        assertEquals(400, status(pa, "GET", "/v1/admin/secrets"), "tenant-scoped without the tenant header");
        assertEquals(200, status(platformAdminOf(a), "GET", "/v1/admin/secrets/a-key"));
        assertEquals(404, status(platformAdminOf(a), "GET", "/v1/admin/secrets/b-key"), "b's secret is not a's");
        assertEquals(404, status(platformAdminOf("no-such-tenant"), "GET", "/v1/admin/secrets"));
        assertEquals(201, status(platformAdminOf(a), "PUT", "/v1/admin/secrets/pa-made"));
    }

    @Test
    void tenantAdminOwnTenant() {
        Api ta = tenantAdmin(a);
        assertEquals(200, status(ta, "GET", "/v1/admin/tenants/" + a));
        assertEquals(200, status(ta, "GET", "/v1/admin/secrets"));
        assertEquals(200, status(ta, "GET", "/v1/admin/secrets/a-key"));
        assertEquals(201, status(ta, "PUT", "/v1/admin/secrets/ta-made"));
        assertEquals(204, status(ta, "DELETE", "/v1/admin/secrets/ta-made"));
    }

    @Test
    void tenantAdminCannotManageTenants() {
        Api ta = tenantAdmin(a);
        assertEquals(403, status(ta, "GET", "/v1/admin/tenants"));
        assertEquals(403, status(ta, "POST", "/v1/admin/tenants"));
        assertEquals(403, status(ta, "DELETE", "/v1/admin/tenants/" + a));
        assertEquals(403, status(ta, "POST", "/v1/admin/master-key/rewrap"));
    }

    @Test
    void tenantAdminSeesNothingOfAnotherTenant() {
        Api ta = tenantAdmin(a);
        assertEquals(404, status(ta, "GET", "/v1/admin/tenants/" + b));
        assertEquals(404, status(ta, "GET", "/v1/admin/secrets/b-key"));
        assertEquals(404, status(ta, "DELETE", "/v1/admin/secrets/b-key"));
        // the tenant header is ignored for tenant roles: it cannot widen a token
        Api withHeader = ta.with(Caller.TENANT_HEADER, b);
        assertEquals(404, status(withHeader, "GET", "/v1/admin/secrets/b-key"));
        assertEquals(List.of("a-key"), withHeader.get("/v1/admin/secrets").json().findValuesAsText("name")
                .stream().filter(n -> n.endsWith("-key")).toList());
        // b's secret is untouched
        assertEquals(200, status(tenantAdmin(b), "GET", "/v1/admin/secrets/b-key"));
    }

    @Test
    void viewerReadsOnlyItsOwnTenant() {
        Api v = viewer(a);
        assertEquals(200, status(v, "GET", "/v1/admin/tenants/" + a));
        assertEquals(200, status(v, "GET", "/v1/admin/secrets"));
        assertEquals(200, status(v, "GET", "/v1/admin/secrets/a-key"));
        assertEquals(403, status(v, "PUT", "/v1/admin/secrets/a-key"));
        assertEquals(403, status(v, "DELETE", "/v1/admin/secrets/a-key"));
        assertEquals(403, status(v, "GET", "/v1/admin/tenants"));
        assertEquals(404, status(v, "GET", "/v1/admin/tenants/" + b));
        assertEquals(404, status(v, "GET", "/v1/admin/secrets/b-key"));
    }

    @Test
    void tokenWithoutKnownRolesIsForbidden() {
        Api none = api().as(Tokens.of("nobody", List.of(), null, Duration.ofHours(1)));
        assertEquals(403, status(none, "GET", "/v1/admin/tenants"));
        assertEquals(403, status(none, "GET", "/v1/admin/secrets"));
        Api unknown = api().as(Tokens.of("x", List.of("superuser"), a, Duration.ofHours(1)));
        assertEquals(403, status(unknown, "GET", "/v1/admin/secrets"));
    }

    @Test
    void noTokenIs401WithProblemJson() {
        for (String path : List.of("/v1/admin/tenants", "/v1/admin/secrets", "/v1/admin/tenants/" + a)) {
            Api.Response r = api().get(path);
            assertEquals(401, r.status());
            assertEquals("application/problem+json", r.contentType());
            assertEquals("Bearer", r.headers().firstValue("www-authenticate").orElse(""));
        }
    }
}
