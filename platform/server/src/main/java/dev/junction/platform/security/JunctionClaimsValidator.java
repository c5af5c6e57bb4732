package dev.junction.platform.security;

import dev.junction.platform.tenancy.TenantDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * Our claim rules, on top of the signature and expiry checks of Micronaut Security: {@code sub}
 * and {@code exp} are required, {@code roles} is an array of strings, and a token carrying a
 * tenant role names its tenant with a well-formed {@code tenant} claim. A token failing any rule
 * is not authenticated (401).
 */
@Singleton
final class JunctionClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>> {

    static final String TENANT_CLAIM = "tenant";
    static final String ROLES_CLAIM = "roles";

    @Override
    public boolean validate(Claims claims, @Nullable HttpRequest<?> request) {
        Object sub = claims.get(Claims.SUBJECT);
        if (!(sub instanceof String s) || s.isBlank() || claims.get(Claims.EXPIRATION_TIME) == null) {
            return false;
        }
        Object roles = claims.get(ROLES_CLAIM);
        if (roles == null) {
            return true; // no roles: authenticated, but every endpoint answers 403
        }
        if (!(roles instanceof Collection<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            return false;
        }
        boolean platformAdmin = list.contains(Role.PLATFORM_ADMIN_NAME);
        boolean tenantRole = list.stream().map(String.class::cast)
                .flatMap(r -> Role.fromClaim(r).stream()).anyMatch(Role::isTenantRole);
        if (tenantRole && !platformAdmin) {
            return claims.get(TENANT_CLAIM) instanceof String t && t.matches(TenantDirectory.SLUG_PATTERN);
        }
        return true;
    }
}
