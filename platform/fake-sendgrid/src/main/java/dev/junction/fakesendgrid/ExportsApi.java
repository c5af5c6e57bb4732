package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;

/** {@code /v3/marketing/contacts/exports*}: contact exports (guess G11). */
final class ExportsApi {
    private final Store store;
    private final Jobs jobs;
    private final String baseUrl;

    ExportsApi(Store store, Jobs jobs, String baseUrl) {
        this.store = store;
        this.jobs = jobs;
        this.baseUrl = baseUrl;
    }

    Reply createExport(Call call) {
        JsonNode body = call.bodyBytes().length == 0 ? Json.object() : call.jsonObject();
        String fileType = body.path("file_type").asText("csv");
        if (!fileType.equals("csv") && !fileType.equals("json")) {
            throw ApiError.badRequest("file_type", "file_type must be csv or json");
        }
        List<String> listIds = Requests.stringList(body, "list_ids");
        for (String id : listIds) {
            if (!store.lists.containsKey(id)) {
                throw ApiError.badRequest("list_ids", "list id '" + id + "' does not exist");
            }
        }
        List<String> segmentIds = Requests.stringList(body, "segment_ids");
        for (String id : segmentIds) {
            if (!store.segments.containsKey(id)) {
                throw ApiError.badRequest("segment_ids", "segment id '" + id + "' does not exist");
            }
        }
        long maxMb = body.path("max_file_size").asLong(5000);
        if (maxMb < 1) {
            throw ApiError.badRequest("max_file_size", "max_file_size must be at least 1 (MB)");
        }
        Jobs.ExportJob job = jobs.submitExport(fileType, listIds, segmentIds, maxMb * 1_000_000L);
        ObjectNode out = Json.object();
        out.put("id", job.id);
        out.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts/exports/" + job.id);
        return Reply.json(202, out);
    }

    private ObjectNode exportJson(Jobs.ExportJob job) {
        ObjectNode n = Json.object();
        n.put("id", job.id);
        n.put("status", job.status);
        n.put("created_at", Json.time(job.createdAt));
        n.put("updated_at", Json.time(job.updatedAt));
        if (job.completedAt > 0) {
            n.put("completed_at", Json.time(job.completedAt));
        }
        n.put("expires_at", Json.time(job.createdAt + 72L * 3600 * 1000));
        if ("ready".equals(job.status)) {
            ArrayNode urls = n.putArray("urls");
            for (var f : job.files) {
                urls.add(baseUrl + "/_fake/exports/" + f.getFileName());
            }
            n.put("contact_count", job.contactCount);
        }
        if (job.message != null) {
            n.put("message", job.message);
        }
        n.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts/exports/" + job.id);
        return n;
    }

    Reply exportStatus(Call call) {
        Jobs.ExportJob job = jobs.exports.get(call.pathParam("id"));
        if (job == null) {
            throw ApiError.notFound("export not found");
        }
        return Reply.json(200, exportJson(job));
    }

    Reply listExports(Call call) {
        ObjectNode body = Json.object();
        ArrayNode result = body.putArray("result");
        jobs.exports.values().stream().sorted(Comparator.comparingLong(j -> j.createdAt)).forEach(j -> {
            ObjectNode n = exportJson(j);
            n.put("export_type", j.exportType());
            result.add(n);
        });
        body.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts/exports");
        return Reply.json(200, body);
    }
}
