package dev.junction.platform.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.PlatformOnly;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

@Controller("/v1/admin/tenants")
class TenantController {

    private final TenantService tenants;

    TenantController(TenantService tenants) {
        this.tenants = tenants;
    }

    @Serdeable
    record CreateTenantRequest(
            @NotNull @Pattern(regexp = Tenant.SLUG_PATTERN, message = "must be 2-63 characters of a-z, 0-9 and '-', starting with a letter or digit")
            String slug,
            @NotBlank @Size(max = 200) String name) { }

    @Serdeable
    record TenantResponse(UUID id, String slug, String name, @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("event_retention_days") int eventRetentionDays) {
        static TenantResponse of(Tenant t) {
            return new TenantResponse(t.id().value(), t.slug(), t.name(), t.createdAt(), t.eventRetentionDays());
        }
    }

    @Serdeable
    record UpdateTenantRequest(@Nullable @Size(min = 1, max = 200) String name,
                               @JsonProperty("event_retention_days") @Nullable @Min(1) @Max(365) Integer eventRetentionDays) { }

    @Post
    @PlatformOnly
    HttpResponse<TenantResponse> create(@Body @Valid CreateTenantRequest request) {
        Tenant t = tenants.create(request.slug(), request.name());
        return HttpResponse.created(TenantResponse.of(t), URI.create("/v1/admin/tenants/" + t.slug()));
    }

    @Get
    @PlatformOnly
    Page<TenantResponse> list(@QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        Page<Tenant> page = tenants.list(cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(TenantResponse::of).toList(), page.nextCursor());
    }

    /** A tenant's own roles may read their tenant; any other slug is 404, as if it did not exist. */
    @Get("/{slug}")
    @TenantRead
    TenantResponse get(String slug, Caller caller) {
        if (!caller.canSee(slug)) {
            throw ApiException.notFound("Tenant '" + slug + "'");
        }
        return tenants.findBySlug(slug).map(TenantResponse::of)
                .orElseThrow(() -> ApiException.notFound("Tenant '" + slug + "'"));
    }

    /** Name and event retention; a tenant's own admin may change its tenant. */
    @Patch("/{slug}")
    @TenantWrite
    TenantResponse update(String slug, @Body @Valid UpdateTenantRequest request, Caller caller) {
        if (!caller.canSee(slug)) {
            throw ApiException.notFound("Tenant '" + slug + "'");
        }
        return TenantResponse.of(tenants.update(slug, request.name(), request.eventRetentionDays()));
    }

    @Delete("/{slug}")
    @PlatformOnly
    @Status(HttpStatus.NO_CONTENT)
    void delete(String slug) {
        tenants.delete(slug);
    }
}
