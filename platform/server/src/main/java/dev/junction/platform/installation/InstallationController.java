package dev.junction.platform.installation;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;
import java.util.UUID;

@Controller("/v1/admin/installations")
class InstallationController {

    private final InstallationService installations;
    private final InstallationViews views;

    InstallationController(InstallationService installations, InstallationViews views) {
        this.installations = installations;
        this.views = views;
    }

    @Serdeable
    record PatchInstallationRequest(@Nullable String name, @Nullable Map<String, Object> config,
                                    @JsonProperty("delivery_mode") @Nullable String deliveryMode,
                                    @JsonProperty("object_sync") @Nullable Map<String, Object> objectSync) {
        @Override
        public String toString() {
            return "PatchInstallationRequest[name=" + name + ", config=<redacted>, delivery_mode=" + deliveryMode
                    + ", object_sync=" + objectSync + "]";
        }
    }

    /** Names the object sync schema that deleting an installation left in the database. */
    static final String RETAINED_SCHEMA_HEADER = "Junction-Retained-Schema";

    @Get
    @TenantRead
    Page<InstallationResponse> list(@QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor,
                                    @QueryValue @Nullable String integration, Caller caller) {
        Page<Installation> page = installations.list(caller.tenantId(), cursor, Page.limit(limit), integration);
        return new Page<>(page.items().stream().map(i -> views.view(i, caller)).toList(), page.nextCursor());
    }

    @Get("/{id}")
    @TenantRead
    InstallationResponse get(UUID id, Caller caller) {
        return views.view(installations.get(caller.tenantId(), id), caller);
    }

    /** Merges the config (a secret left out keeps its value); re-runs the check when the config changed. */
    @Patch("/{id}")
    @TenantWrite
    InstallationResponse patch(UUID id, @Body PatchInstallationRequest request,
                               @QueryValue(defaultValue = "true") boolean check, Caller caller) {
        return views.view(installations.patch(caller.tenantId(), id,
                new InstallationService.PatchCommand(request.name(), request.config(), request.deliveryMode(), request.objectSync()),
                check));
    }

    /**
     * 204. An object sync schema is dropped only with {@code ?drop_data=true}; otherwise it stays in
     * the database (its name answered in the {@value #RETAINED_SCHEMA_HEADER} header) until an
     * operator drops it, and no installation can take its name meanwhile.
     */
    @Delete("/{id}")
    @TenantWrite
    HttpResponse<Void> delete(UUID id, @QueryValue(value = "drop_data", defaultValue = "false") boolean dropData, Caller caller) {
        InstallationService.Deleted deleted = installations.delete(caller.tenantId(), id, dropData);
        MutableHttpResponse<Void> response = HttpResponse.noContent();
        return deleted.retainedSchema() == null ? response : response.header(RETAINED_SCHEMA_HEADER, deleted.retainedSchema());
    }

    @Post("/{id}/disable")
    @TenantWrite
    InstallationResponse disable(UUID id, Caller caller) {
        return views.view(installations.setStatus(caller.tenantId(), id, Installation.Status.DISABLED));
    }

    @Post("/{id}/enable")
    @TenantWrite
    InstallationResponse enable(UUID id, Caller caller) {
        return views.view(installations.setStatus(caller.tenantId(), id, Installation.Status.ENABLED));
    }

    /** Re-runs the connection check; 200 with its outcome, succeeded or not. */
    @Post("/{id}/check")
    @TenantWrite
    InstallationResponse.CheckResponse check(UUID id, Caller caller) {
        return InstallationResponse.CheckResponse.of(installations.check(caller.tenantId(), id));
    }
}
