package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code /v3/marketing/lists*}: lists and their members. */
final class ListsApi {
    private final Store store;
    private final Jobs jobs;
    private final ContactsApi contacts;
    private final String baseUrl;
    private final int maxIdsPerDelete;

    ListsApi(Store store, Jobs jobs, ContactsApi contacts, String baseUrl, int maxIdsPerDelete) {
        this.store = store;
        this.jobs = jobs;
        this.contacts = contacts;
        this.baseUrl = baseUrl;
        this.maxIdsPerDelete = maxIdsPerDelete;
    }

    private ObjectNode listJson(Store.ListRec l) {
        ObjectNode n = Json.object();
        n.put("id", l.id);
        n.put("name", l.name);
        n.put("contact_count", l.members.size());
        n.putObject("_metadata").put("self", baseUrl + "/v3/marketing/lists/" + l.id);
        return n;
    }

    Reply createList(Call call) {
        return Reply.json(201, listJson(store.createList(Requests.requiredString(call.jsonObject(), "name"))));
    }

    Reply listLists(Call call) {
        int pageSize = Api.DEFAULT_PAGE_SIZE;
        String ps = call.queryParam("page_size");
        if (ps != null) {
            try {
                pageSize = Integer.parseInt(ps.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("page_size", "page_size must be a number");
            }
            if (pageSize < 1 || pageSize > Api.MAX_PAGE_SIZE) {
                throw ApiError.badRequest("page_size", "page_size must be between 1 and " + Api.MAX_PAGE_SIZE);
            }
        }
        int offset = 0;
        String token = call.queryParam("page_token");
        if (token != null && !token.isEmpty()) {
            offset = Requests.decodeToken("lists", token);
        }
        List<Store.ListRec> all = store.listsInOrder();
        ObjectNode body = Json.object();
        ArrayNode result = body.putArray("result");
        int end = Math.min(all.size(), offset + pageSize);
        for (int i = offset; i < end; i++) {
            result.add(listJson(all.get(i)));
        }
        ObjectNode meta = body.putObject("_metadata");
        String self = baseUrl + "/v3/marketing/lists?page_size=" + pageSize;
        meta.put("self", offset == 0 ? self : self + "&page_token=" + Requests.encodeToken("lists", offset));
        if (offset > 0) {
            int prev = Math.max(0, offset - pageSize);
            meta.put("prev", prev == 0 ? self : self + "&page_token=" + Requests.encodeToken("lists", prev));
        }
        if (end < all.size()) {
            meta.put("next", self + "&page_token=" + Requests.encodeToken("lists", end));
        }
        meta.put("count", all.size());
        return Reply.json(200, body);
    }

    Reply getList(Call call) {
        Store.ListRec list = store.list(call.pathParam("id"));
        ObjectNode body = listJson(list);
        if ("true".equals(call.queryParam("contact_sample"))) {
            ArrayNode sample = body.putArray("contact_sample");
            list.members.stream().map(store.byId::get).filter(c -> c != null)
                    .sorted(Comparator.comparingLong(Store.Contact::updatedAt).reversed()).limit(Api.SAMPLE_SIZE)
                    .forEach(c -> sample.add(contacts.contactJson(c)));
        }
        return Reply.json(200, body);
    }

    Reply updateList(Call call) {
        return Reply.json(200, listJson(store.renameList(call.pathParam("id"), Requests.requiredString(call.jsonObject(), "name"))));
    }

    Reply deleteList(Call call) {
        String id = call.pathParam("id");
        List<String> members = store.deleteList(id);
        if ("true".equals(call.queryParam("delete_contacts"))) {
            Jobs.ImportJob job = jobs.submitDelete(members);
            ObjectNode body = Json.object();
            body.put("job_id", job.id);
            return Reply.json(200, body);
        }
        return Reply.empty(204);
    }

    Reply listContactCount(Call call) {
        Store.ListRec list = store.list(call.pathParam("id"));
        ObjectNode body = Json.object();
        body.put("contact_count", list.members.size());
        body.put("billable_count", list.members.size());
        return Reply.json(200, body);
    }

    Reply removeFromList(Call call) {
        Store.ListRec list = store.list(call.pathParam("id"));
        List<String> ids = Requests.ids("contact_ids", call.queryParam("contact_ids"), maxIdsPerDelete);
        Set<String> unknown = Jobs.unknown(ids, store.byId);
        if (!unknown.isEmpty()) {
            throw new ApiError(404, "contact_ids", "contact ids do not exist: " + new TreeSet<>(unknown));
        }
        ObjectNode body = Json.object();
        body.put("job_id", jobs.submitListRemoval(list.id, ids));
        return Reply.json(202, body);
    }
}
