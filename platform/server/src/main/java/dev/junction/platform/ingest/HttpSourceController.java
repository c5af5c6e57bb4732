package dev.junction.platform.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A tenant's HTTP sources: {@code /v1/admin/sources}. Write keys appear only in create and rotate answers. */
@Controller("/v1/admin/sources")
class HttpSourceController {

    private final HttpSourceService sources;

    HttpSourceController(HttpSourceService sources) {
        this.sources = sources;
    }

    @Serdeable
    record CreateSourceRequest(@NotBlank @Size(max = 200) String name) { }

    @Serdeable
    record RotateRequest(@JsonProperty("grace_period_seconds") @Nullable @Min(0) @Max(604_800) Integer gracePeriodSeconds) { }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SourceResponse(UUID id, String name, @JsonProperty("write_key") String writeKey,
                          @JsonProperty("write_key_hint") String writeKeyHint, @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("rotated_at") Instant rotatedAt,
                          @JsonProperty("previous_key_expires_at") Instant previousKeyExpiresAt,
                          @JsonProperty("tracking_endpoints") java.util.List<String> trackingEndpoints) {
        @Override
        public String toString() {
            return "SourceResponse[id=" + id + ", name=" + name + ", writeKey=" + (writeKey == null ? null : "<redacted>")
                    + ", writeKeyHint=" + writeKeyHint + "]";
        }

        static SourceResponse of(HttpSource s, String writeKey) {
            return new SourceResponse(s.id(), s.name(), writeKey, s.keyHint(), s.createdAt(), s.rotatedAt(), s.previousExpiresAt(),
                    TrackingController.ENDPOINTS);
        }
    }

    @Post
    @TenantWrite
    HttpResponse<SourceResponse> create(@Body @Valid CreateSourceRequest request, Caller caller) {
        HttpSourceService.WithKey created = sources.create(caller.tenantId(), request.name().strip());
        return HttpResponse.created(SourceResponse.of(created.source(), created.writeKey()),
                URI.create("/v1/admin/sources/" + created.source().id()));
    }

    @Get
    @TenantRead
    Page<SourceResponse> list(@QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor, Caller caller) {
        Page<HttpSource> page = sources.list(caller.tenantId(), cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(s -> SourceResponse.of(s, null)).toList(), page.nextCursor());
    }

    @Get("/{id}")
    @TenantRead
    SourceResponse get(UUID id, Caller caller) {
        return SourceResponse.of(sources.get(caller.tenantId(), id), null);
    }

    /** A new write key; the old one keeps working for {@code grace_period_seconds} (default 0: stops at once). */
    @Post("/{id}/rotate")
    @TenantWrite
    SourceResponse rotate(UUID id, @Body @Valid @Nullable RotateRequest request, Caller caller) {
        int grace = request == null || request.gracePeriodSeconds() == null ? 0 : request.gracePeriodSeconds();
        HttpSourceService.WithKey rotated = sources.rotate(caller.tenantId(), id, Duration.ofSeconds(grace));
        return SourceResponse.of(rotated.source(), rotated.writeKey());
    }

    @Delete("/{id}")
    @TenantWrite
    @Status(HttpStatus.NO_CONTENT)
    void delete(UUID id, Caller caller) {
        sources.delete(caller.tenantId(), id);
    }
}
