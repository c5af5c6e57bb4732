package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.fakeklaviyo.Call.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Lists and their memberships. */
final class ListsApi {
    /** "This endpoint accepts a maximum of 1000 profiles per call" (add and remove). */
    static final int MAX_MEMBERS_PER_CALL = 1000;

    private final Profiles profiles;
    private final Account account;
    private final Render render;

    ListsApi(Profiles profiles, Account account, Render render) {
        this.profiles = profiles;
        this.account = account;
        this.render = render;
    }

    Reply handle(Call call) {
        return switch (call.operationId()) {
            case "get_lists" -> getLists(call);
            case "create_list" -> createList(call);
            case "get_list" -> new Reply(200, call.single(render.list(account.list(call.pathParam("id")))));
            case "update_list" -> updateList(call);
            case "delete_list" -> {
                account.deleteList(call.pathParam("id"));
                yield Reply.noContent();
            }
            case "get_profiles_for_list" -> members(call, true);
            case "get_profile_ids_for_list" -> members(call, false);
            case "add_profiles_to_list" -> changeMembers(call, true);
            case "remove_profiles_from_list" -> changeMembers(call, false);
            default -> null;
        };
    }

    private Reply getLists(Call call) {
        List<String> names = call.filterValues("name");
        List<String> ids = call.filterValues("id");
        NavigableMap<String, Account.KList> all = new TreeMap<>();
        account.listsSnapshot().forEach(l -> all.put(l.id, l));
        return new Reply(200, call.page(all, l -> (names == null || names.contains(l.name))
                && (ids == null || ids.contains(l.id)), render::list));
    }

    private Reply createList(Call call) {
        String name = call.body().path("data").path("attributes").path("name").asText();
        if (name.isBlank()) {
            throw ApiException.invalid("A list name is required.", "/data/attributes/name");
        }
        Account.KList list = account.createList(name, call.now());
        return new Reply(201, call.single(render.list(list)));
    }

    private Reply updateList(Call call) {
        JsonNode data = call.body().path("data");
        String id = call.pathParam("id");
        if (!id.equals(data.path("id").asText())) {
            throw new ApiException(new JsonApi.ApiError(409, "conflict", "Conflict.",
                    "The id in the body does not match the id in the URL.", "/data/id", null));
        }
        String name = data.path("attributes").path("name").asText(null);
        if (name != null) {
            account.renameList(id, name, call.now());
        }
        return new Reply(200, call.single(render.list(account.list(id))));
    }

    private Reply members(Call call, boolean full) {
        Account.KList list = account.list(call.pathParam("id"));
        List<String> emails = call.filterValues("email");
        ObjectNode doc = call.page(list.members, (id, joined) -> {
            Profiles.Profile p = profiles.get(id);
            return p == null ? null : new Render.Member(p, joined);
        }, m -> emails == null || (m.profile().email != null
                && emails.stream().anyMatch(m.profile().email::equalsIgnoreCase)),
                m -> full ? render.member(m) : JsonApi.ref("profile", m.profile().id));
        return new Reply(200, doc);
    }

    private Reply changeMembers(Call call, boolean add) {
        Account.KList list = account.list(call.pathParam("id"));
        JsonNode data = call.body().path("data");
        if (data.size() > MAX_MEMBERS_PER_CALL) {
            throw ApiException.invalid("At most " + MAX_MEMBERS_PER_CALL + " profiles may be given per call; got "
                    + data.size() + ".", "/data");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            String id = data.get(i).path("id").asText();
            if (add && profiles.get(id) == null) {
                throw ApiException.invalid("A profile with id " + id + " does not exist.", "/data/" + i + "/id");
            }
            ids.add(id);
        }
        if (add) {
            account.addMembers(list.id, ids, call.now());
        } else {
            account.removeMembers(list.id, ids);
        }
        return Reply.noContent();
    }
}
