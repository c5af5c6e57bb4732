package dev.junction.platform.support;

import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.UUID;

/**
 * Base of HTTP API tests: the embedded server on a random port, over the per-run test database.
 * Each test makes its own tenants with unique slugs, so tests never see each other's data.
 */
public abstract class ApiTestBase {

    @Inject
    protected EmbeddedServer server;

    /** An unauthenticated client. */
    protected Api api() {
        return new Api(server.getURI());
    }

    protected Api platformAdmin() {
        return api().as(Tokens.platformAdmin());
    }

    /** A platform admin acting on one tenant through the tenant header. */
    protected Api platformAdminOf(String tenant) {
        return platformAdmin().with("X-Junction-Tenant", tenant);
    }

    protected Api tenantAdmin(String tenant) {
        return api().as(Tokens.tenantAdmin(tenant));
    }

    protected Api viewer(String tenant) {
        return api().as(Tokens.viewer(tenant));
    }

    /** Creates a tenant with a unique slug starting with {@code prefix}; returns the slug. */
    protected String newTenant(String prefix) {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response r = platformAdmin().post("/v1/admin/tenants", Map.of("slug", slug, "name", prefix + " Inc."));
        if (r.status() != 201) {
            throw new AssertionError("Could not create tenant: " + r);
        }
        return slug;
    }
}
