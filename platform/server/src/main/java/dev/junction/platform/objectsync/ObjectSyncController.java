package dev.junction.platform.objectsync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An installation's object sync runs, and its collections with their rows. */
@Controller("/v1/admin/installations/{installationId}")
class ObjectSyncController {

    private final ObjectSyncService objects;

    ObjectSyncController(ObjectSyncService objects) {
        this.objects = objects;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RunResponse(UUID id, @JsonProperty("installation_id") UUID installationId, String status, String trigger, int attempt,
                       Map<String, Object> collections, @Nullable String error, @JsonProperty("created_at") Instant createdAt,
                       @JsonProperty("started_at") @Nullable Instant startedAt,
                       @JsonProperty("finished_at") @Nullable Instant finishedAt) { }

    /**
     * A collection and its counts: exact, counted when the latest pass ended (only syncs change
     * these tables, so they stay exact until the next pass).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CollectionResponse(String name, String table, @JsonProperty("key_column") String keyColumn,
                              List<Map<String, String>> columns, @JsonProperty("row_count") long rowCount,
                              @JsonProperty("deleted_count") long deletedCount, String count,
                              @JsonProperty("counted_at") @Nullable Instant countedAt,
                              @JsonProperty("last_synced_at") @Nullable Instant lastSyncedAt,
                              @JsonProperty("last_complete_at") @Nullable Instant lastCompleteAt) { }

    @Serdeable
    record CollectionList(String schema, List<CollectionResponse> items) { }

    @SuppressWarnings("unchecked")
    static RunResponse view(ObjectSyncRun r) {
        try {
            return new RunResponse(r.id(), r.installationId(), r.status(), r.trigger(), r.attempt(),
                    PlatformJson.MAPPER.readValue(r.collectionsJson(), Map.class), r.error(), r.createdAt(), r.startedAt(),
                    r.finishedAt());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable run " + r.id(), e);
        }
    }

    /** Starts a run now: 202 with the queued run (a queued run is joined); 409 while one is running. */
    @Post("/object-syncs/run")
    @TenantWrite
    HttpResponse<RunResponse> run(UUID installationId, Caller caller) {
        ObjectSyncRun r = objects.requestRun(caller.tenantId(), installationId);
        return HttpResponse.<RunResponse>status(HttpStatus.ACCEPTED).body(view(r))
                .header("Location", "/v1/admin/installations/" + installationId + "/object-syncs/runs/" + r.id());
    }

    /** Runs, newest first. */
    @Get("/object-syncs/runs")
    @TenantRead
    Page<RunResponse> runs(UUID installationId, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor,
                           Caller caller) {
        Page<ObjectSyncRun> page = objects.runs(caller.tenantId(), installationId, cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(ObjectSyncController::view).toList(), page.nextCursor());
    }

    @Get("/object-syncs/runs/{runId}")
    @TenantRead
    RunResponse getRun(UUID installationId, UUID runId, Caller caller) {
        return view(objects.run(caller.tenantId(), installationId, runId));
    }

    @Get("/collections")
    @TenantRead
    CollectionList collections(UUID installationId, Caller caller) {
        ObjectSyncService.Collections c = objects.collections(caller.tenantId(), installationId);
        return new CollectionList(c.schema(), c.collections().stream().map(s -> new CollectionResponse(s.table().name(),
                c.schema() + "." + s.table().name(), s.table().keyColumn(), s.table().columnsView(), s.rowCount(), s.deletedCount(),
                "exact", s.countedAt(), s.lastSyncedAt(), s.lastCompleteAt())).toList());
    }

    /**
     * Rows as JSON objects (every column in its type, {@code raw} included) by key, deleted rows
     * only when asked: a {@link Page} written as text, the rows as PostgreSQL wrote them.
     */
    @Get(value = "/collections/{name}", produces = MediaType.APPLICATION_JSON)
    @TenantRead
    HttpResponse<String> rows(UUID installationId, String name, @QueryValue @Nullable Integer limit,
                              @QueryValue @Nullable String cursor,
                              @QueryValue(value = "include_deleted", defaultValue = "false") boolean includeDeleted,
                              Caller caller) {
        Page<String> page = objects.rows(caller.tenantId(), installationId, name, cursor, Page.limit(limit), includeDeleted);
        StringBuilder body = new StringBuilder(page.items().stream().mapToInt(String::length).sum() + 64).append("{\"items\":[");
        for (int i = 0; i < page.items().size(); i++) {
            body.append(i == 0 ? "" : ",").append(page.items().get(i));
        }
        body.append(']');
        if (page.nextCursor() != null) {
            body.append(",\"next_cursor\":\"").append(page.nextCursor()).append('"'); // base64url: nothing to escape
        }
        return HttpResponse.ok(body.append('}').toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
