package dev.junction.platform.installationhealth;

import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.UUID;

/** {@code GET /v1/admin/installations/{id}/health}: the installation's health, for its tenant only. */
@Controller("/v1/admin/installations")
class InstallationHealthController {

    private final InstallationHealthService health;

    InstallationHealthController(InstallationHealthService health) {
        this.health = health;
    }

    @Get("/{id}/health")
    @TenantRead
    InstallationHealth get(UUID id, Caller caller) {
        return health.health(caller.tenantId(), id);
    }
}
