package dev.junction.platform.security;

import java.util.Optional;

/**
 * What a token may do. The names are the values of the token's {@code roles} claim and of
 * {@code @Secured} annotations.
 */
public enum Role {
    /** Manages tenants; acts on one tenant's resources by naming it in {@link Caller#TENANT_HEADER}. */
    PLATFORM_ADMIN(Role.PLATFORM_ADMIN_NAME),
    /** Reads and writes its own tenant's resources. */
    TENANT_ADMIN(Role.TENANT_ADMIN_NAME),
    /** Reads its own tenant's resources. */
    VIEWER(Role.VIEWER_NAME);

    public static final String PLATFORM_ADMIN_NAME = "platform-admin";
    public static final String TENANT_ADMIN_NAME = "tenant-admin";
    public static final String VIEWER_NAME = "viewer";

    private final String claimValue;

    Role(String claimValue) {
        this.claimValue = claimValue;
    }

    public String claimValue() {
        return claimValue;
    }

    /** Whether the role is bound to one tenant (and so needs a {@code tenant} claim). */
    public boolean isTenantRole() {
        return this != PLATFORM_ADMIN;
    }

    public static Optional<Role> fromClaim(String value) {
        for (Role r : values()) {
            if (r.claimValue.equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
