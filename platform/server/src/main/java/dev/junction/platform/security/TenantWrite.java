package dev.junction.platform.security;

import io.micronaut.security.annotation.Secured;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Who may call an endpoint. Tenant-scoped writes: platform admins (naming the tenant) and tenant admins. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Secured({Role.PLATFORM_ADMIN_NAME, Role.TENANT_ADMIN_NAME})
public @interface TenantWrite {
}
