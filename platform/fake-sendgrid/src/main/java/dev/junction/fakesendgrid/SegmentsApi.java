package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/** {@code /v3/marketing/segments*}, v1 and 2.0 shapes, read-only (guess G12). */
final class SegmentsApi {
    private final Store store;
    private final String baseUrl;
    /** Page size of {@code GET /segments/2.0}, 0 for one page (see FakeSendGrid#segmentsPageSize). */
    volatile int pageSize;

    SegmentsApi(Store store, String baseUrl) {
        this.store = store;
        this.baseUrl = baseUrl;
    }

    Reply segments(Call call, boolean v2) {
        List<String> parents = Http.commaList(call.queryParam("parent_list_ids"));
        boolean noParent = "true".equals(call.queryParam("no_parent_list_id"));
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        List<Store.SegmentRec> matching = store.segments.values().stream().sorted(Comparator.comparingLong(s -> s.createdAt))
                .filter(s -> {
                    if (parents.isEmpty() && !noParent) {
                        return true;
                    }
                    boolean match = s.parentListIds.stream().anyMatch(parents::contains);
                    return match || (noParent && s.parentListIds.isEmpty());
                }).toList();
        int size = v2 && pageSize > 0 ? pageSize : Integer.MAX_VALUE;
        String token = call.queryParam("page_token");
        int offset = v2 && token != null && !token.isEmpty() ? Requests.decodeToken("segments", token) : 0;
        int end = (int) Math.min(matching.size(), (long) offset + size);
        for (int i = offset; i < end; i++) {
            results.add(segmentJson(matching.get(i), v2, false));
        }
        if (v2) {
            StringBuilder filters = new StringBuilder();
            if (call.queryParam("parent_list_ids") != null) {
                filters.append("&parent_list_ids=").append(java.net.URLEncoder.encode(call.queryParam("parent_list_ids"),
                        StandardCharsets.UTF_8));
            }
            if (noParent) {
                filters.append("&no_parent_list_id=true");
            }
            String self = baseUrl + "/v3/marketing/segments/2.0";
            ObjectNode meta = body.putObject("_metadata");
            meta.put("self", offset == 0 && filters.isEmpty() ? self
                    : self + "?page_token=" + Requests.encodeToken("segments", offset) + filters);
            if (end < matching.size()) {
                meta.put("next", self + "?page_token=" + Requests.encodeToken("segments", end) + filters);
            }
        }
        return Reply.json(200, body);
    }

    Reply segment(Call call, boolean v2) {
        Store.SegmentRec s = store.segments.get(call.pathParam("segment_id"));
        if (s == null) {
            throw ApiError.notFound("segment not found");
        }
        return Reply.json(200, segmentJson(s, v2, true));
    }

    private ObjectNode segmentJson(Store.SegmentRec s, boolean v2, boolean full) {
        ObjectNode n = Json.object();
        n.put("id", s.id);
        n.put("name", s.name);
        n.put("contacts_count", store.segmentCount(s));
        n.put("created_at", Json.time(s.createdAt));
        n.put("updated_at", Json.time(s.createdAt));
        n.put("sample_updated_at", Json.time(s.createdAt));
        n.put("next_sample_update", Json.time(s.createdAt + 3_600_000L));
        if (v2) {
            ArrayNode parents = n.putArray("parent_list_ids");
            s.parentListIds.forEach(parents::add);
            n.put("query_version", "2");
            n.putObject("status").put("query_validation", "VALID");
        } else if (!s.parentListIds.isEmpty()) {
            n.put("parent_list_id", s.parentListIds.get(0));
        }
        if (full) {
            n.put("query_dsl", s.queryDsl);
            ArrayNode sample = n.putArray("contacts_sample");
            s.contactIds.stream().map(store.byId::get).filter(c -> c != null).limit(Api.SAMPLE_SIZE).forEach(c -> {
                ObjectNode x = sample.addObject();
                x.put("contact_id", c.id());
                x.put("primary_email", c.email());
                x.put("first_name", c.get(Reserved.FIRST_NAME) == null ? "" : c.get(Reserved.FIRST_NAME));
                x.put("last_name", c.get(Reserved.LAST_NAME) == null ? "" : c.get(Reserved.LAST_NAME));
            });
        }
        return n;
    }
}
