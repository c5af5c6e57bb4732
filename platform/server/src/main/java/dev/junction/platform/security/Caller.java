package dev.junction.platform.security;

import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import io.micronaut.core.annotation.Nullable;

import java.util.Set;

/**
 * Who is calling an admin endpoint, resolved from a verified token. Controllers take it as a
 * parameter and pass {@link #tenantId()} to services: there is no other way to reach tenant data.
 *
 * @param subject     the token's {@code sub}
 * @param roles       the recognised roles of the token
 * @param tenant      the tenant the call acts on: the token's own for tenant roles, the one named
 *                    by {@link #TENANT_HEADER} for a platform admin; null when none
 * @param unknownTenant the slug a platform admin named that matches no tenant, else null
 */
public record Caller(String subject, Set<Role> roles, @Nullable TenantRef tenant, @Nullable String unknownTenant) {

    /** Header with which a platform admin names the tenant a tenant-scoped call acts on. */
    public static final String TENANT_HEADER = "X-Junction-Tenant";

    /** A resolved tenant. */
    public record TenantRef(TenantId id, String slug) { }

    public boolean isPlatformAdmin() {
        return roles.contains(Role.PLATFORM_ADMIN);
    }

    /**
     * The tenant this call acts on. A platform admin that names no tenant gets 400; one that names
     * a tenant that does not exist gets 404, as if the resource did not exist.
     */
    public TenantId tenantId() {
        if (tenant != null) {
            return tenant.id();
        }
        if (unknownTenant != null) {
            throw ApiException.notFound("Tenant '" + unknownTenant + "'");
        }
        throw ApiException.badRequest("This endpoint acts on one tenant: a platform-admin token must name it "
                + "with the " + TENANT_HEADER + " header");
    }

    /**
     * Whether the caller may change its tenant's resources, and so see what only writers see: the
     * webhook URL of an unsigned webhook is its credential, not shown to viewers.
     */
    public boolean canWrite() {
        return roles.contains(Role.PLATFORM_ADMIN) || roles.contains(Role.TENANT_ADMIN);
    }

    /** Whether the caller may see the tenant with this slug (its own, or any for a platform admin). */
    public boolean canSee(String tenantSlug) {
        return isPlatformAdmin() || (tenant != null && tenant.slug().equals(tenantSlug));
    }
}
