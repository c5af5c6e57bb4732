package dev.junction.platform.cohort;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Controller("/v1/admin/cohorts")
class CohortController {

    private final CohortService cohorts;

    CohortController(CohortService cohorts) {
        this.cohorts = cohorts;
    }

    @Serdeable
    record CreateCohortRequest(
            @NotNull @Pattern(regexp = Cohort.KEY_PATTERN, message = "must be 1-100 characters of a-z, 0-9, '_', '.' and '-', starting with a letter or digit") String key,
            @NotBlank @Size(max = 200) String name) { }

    @Serdeable
    record CohortResponse(String key, String name, @JsonProperty("member_count") long memberCount,
                          @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {
        static CohortResponse of(Cohort c) {
            return new CohortResponse(c.key(), c.name(), c.memberCount(), c.createdAt(), c.updatedAt());
        }
    }

    @Serdeable
    record MembersRequest(@NotNull @Size(max = CohortService.MAX_INCREMENTAL) List<Map<String, Object>> members) { }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UploadResponse(long members, @JsonProperty("accepted_lines") long acceptedLines,
                          @JsonProperty("bad_lines") long badLines, List<LineErrorView> errors) {
        static UploadResponse of(CohortService.UploadReport r) {
            return new UploadResponse(r.members(), r.acceptedLines(), r.badLines(),
                    r.errors().stream().map(e -> new LineErrorView(e.line(), e.reason())).toList());
        }
    }

    /** A bad line (uploads count from 1; incremental calls give the array index). */
    @Serdeable
    record LineErrorView(long line, String reason) { }

    @Serdeable
    record RemoveResponse(int removed, long members) { }

    @Post
    @TenantWrite
    HttpResponse<CohortResponse> create(@Body @Valid CreateCohortRequest request, Caller caller) {
        Cohort c = cohorts.create(caller.tenantId(), request.key(), request.name());
        return HttpResponse.created(CohortResponse.of(c), URI.create("/v1/admin/cohorts/" + c.key()));
    }

    @Get
    @TenantRead
    Page<CohortResponse> list(@QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor, Caller caller) {
        Page<Cohort> page = cohorts.list(caller.tenantId(), cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(CohortResponse::of).toList(), page.nextCursor());
    }

    @Get("/{key}")
    @TenantRead
    CohortResponse get(String key, Caller caller) {
        return CohortResponse.of(cohorts.get(caller.tenantId(), key));
    }

    @Delete("/{key}")
    @TenantWrite
    @Status(HttpStatus.NO_CONTENT)
    void delete(String key, Caller caller) {
        cohorts.delete(caller.tenantId(), key);
    }

    /**
     * Replaces the membership with the streamed snapshot: {@code application/x-ndjson} (one object
     * per line) or {@code text/csv} with a header row. Bad lines are reported, not fatal.
     */
    @Put("/{key}/members")
    @TenantWrite
    @Consumes({"application/x-ndjson", "application/jsonl", "text/csv"})
    UploadResponse replaceMembers(String key, HttpRequest<?> request, @Body InputStream body, Caller caller) {
        String type = request.getContentType().map(MediaType::toString).orElse(null);
        return UploadResponse.of(cohorts.replaceMembers(caller.tenantId(), key, type, body));
    }

    @Post("/{key}/members/add")
    @TenantWrite
    UploadResponse addMembers(String key, @Body @Valid MembersRequest request, Caller caller) {
        return UploadResponse.of(cohorts.addMembers(caller.tenantId(), key, request.members()));
    }

    @Post("/{key}/members/remove")
    @TenantWrite
    RemoveResponse removeMembers(String key, @Body @Valid MembersRequest request, Caller caller) {
        int removed = cohorts.removeMembers(caller.tenantId(), key, request.members());
        return new RemoveResponse(removed, cohorts.get(caller.tenantId(), key).memberCount());
    }
}
