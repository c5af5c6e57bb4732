package dev.junction.platform.cohort;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Cohort syncs of an installation, and their runs. */
@Controller("/v1/admin/installations/{installationId}/cohort-syncs")
class CohortSyncController {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    private final CohortSyncService syncs;
    private final CohortService cohorts;

    CohortSyncController(CohortSyncService syncs, CohortService cohorts) {
        this.syncs = syncs;
        this.cohorts = cohorts;
    }

    @Serdeable
    record CreateSyncRequest(@JsonProperty("cohort_key") @Nullable String cohortKey, @Nullable Map<String, String> mapping,
                             @Nullable String cadence, @JsonProperty("list_name") @Nullable String listName) { }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SyncResponse(UUID id, @JsonProperty("installation_id") UUID installationId, @JsonProperty("cohort_key") String cohortKey,
                        @JsonProperty("list_name") String listName, Map<String, String> mapping, String cadence,
                        @JsonProperty("next_run_at") @Nullable Instant nextRunAt, @JsonProperty("created_at") Instant createdAt) { }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RunResponse(UUID id, @JsonProperty("sync_id") UUID syncId, String status, String trigger, int attempt,
                       Map<String, Object> counts, @JsonProperty("vendor_jobs") List<Map<String, Object>> vendorJobs,
                       @Nullable String error, @JsonProperty("created_at") Instant createdAt,
                       @JsonProperty("started_at") @Nullable Instant startedAt,
                       @JsonProperty("finished_at") @Nullable Instant finishedAt) { }

    @Serdeable
    record RejectionView(String email, String reason) { }

    private SyncResponse view(Caller caller, CohortSyncDefinition s) {
        return new SyncResponse(s.id(), s.installationId(), cohorts.get(caller.tenantId(), s.cohortId()).key(), s.listName(),
                s.mapping(), s.cadence(), s.nextRunAt(), s.createdAt());
    }

    @SuppressWarnings("unchecked")
    static RunResponse view(CohortSyncRunRecord r) {
        try {
            Map<String, Object> counts = JSON.readValue(r.countsJson(), Map.class);
            Map<String, Map<String, Object>> jobs = JSON.readValue(r.vendorJobs(), Map.class);
            List<Map<String, Object>> jobList = jobs.entrySet().stream().map(e -> {
                Map<String, Object> job = new java.util.LinkedHashMap<>();
                job.put("id", e.getKey());
                job.putAll(e.getValue());
                return job;
            }).toList();
            return new RunResponse(r.id(), r.syncId(), r.status(), r.trigger(), r.attempt(), counts, jobList, r.error(),
                    r.createdAt(), r.startedAt(), r.finishedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable run " + r.id(), e);
        }
    }

    @Post
    @TenantWrite
    HttpResponse<SyncResponse> create(UUID installationId, @Body CreateSyncRequest request, Caller caller) {
        CohortSyncDefinition s = syncs.create(caller.tenantId(), installationId,
                new CohortSyncService.CreateCommand(request.cohortKey(), request.mapping(), request.cadence(), request.listName()));
        return HttpResponse.created(view(caller, s),
                URI.create("/v1/admin/installations/" + installationId + "/cohort-syncs/" + s.id()));
    }

    @Get
    @TenantRead
    Map<String, List<SyncResponse>> list(UUID installationId, Caller caller) {
        return Map.of("items", syncs.list(caller.tenantId(), installationId).stream().map(s -> view(caller, s)).toList());
    }

    @Get("/{syncId}")
    @TenantRead
    SyncResponse get(UUID installationId, UUID syncId, Caller caller) {
        return view(caller, syncs.get(caller.tenantId(), installationId, syncId));
    }

    @Delete("/{syncId}")
    @TenantWrite
    @Status(HttpStatus.NO_CONTENT)
    void delete(UUID installationId, UUID syncId, Caller caller) {
        syncs.delete(caller.tenantId(), installationId, syncId);
    }

    /** Starts a run now: 202 with the queued run (an already queued run is returned instead of a second). */
    @Post("/{syncId}/run")
    @TenantWrite
    HttpResponse<RunResponse> run(UUID installationId, UUID syncId, Caller caller) {
        CohortSyncRunRecord r = syncs.requestRun(caller.tenantId(), installationId, syncId);
        return HttpResponse.<RunResponse>status(HttpStatus.ACCEPTED).body(view(r))
                .header("Location", "/v1/admin/installations/" + installationId + "/cohort-syncs/" + syncId + "/runs/" + r.id());
    }

    @Get("/{syncId}/runs")
    @TenantRead
    Page<RunResponse> runs(UUID installationId, UUID syncId, @QueryValue @Nullable Integer limit,
                           @QueryValue @Nullable String cursor, Caller caller) {
        Page<CohortSyncRunRecord> page = syncs.runs(caller.tenantId(), installationId, syncId, cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(CohortSyncController::view).toList(), page.nextCursor());
    }

    @Get("/{syncId}/runs/{runId}")
    @TenantRead
    RunResponse getRun(UUID installationId, UUID syncId, UUID runId, Caller caller) {
        return view(syncs.run(caller.tenantId(), installationId, syncId, runId));
    }

    /** Every member the vendor refused in the run, with the reason, by e-mail. */
    @Get("/{syncId}/runs/{runId}/rejections")
    @TenantRead
    Page<RejectionView> rejections(UUID installationId, UUID syncId, UUID runId, @QueryValue @Nullable Integer limit,
                                   @QueryValue @Nullable String cursor, Caller caller) {
        Page<String[]> page = syncs.rejections(caller.tenantId(), installationId, syncId, runId, cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(r -> new RejectionView(r[0], r[1])).toList(), page.nextCursor());
    }
}
