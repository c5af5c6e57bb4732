package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * One validated request as the handlers see it, with the JSON:API paging every collection uses: cursor pages
 * keyed by id (the cursor holds the last id of the previous page), {@code page[size]} with the operation's
 * default.
 *
 * @param match the operation and path parameters
 * @param query the query parameters
 * @param body the parsed JSON body, or a missing node
 * @param bodyBytes the body's size
 * @param baseUrl the fake's base URL
 * @param path the request path
 * @param now the request time
 */
record Call(KlaviyoSpec.Match match, Map<String, List<String>> query, JsonNode body, int bodyBytes, String baseUrl,
        String path, Instant now) {

    /** A handler's answer: status and JSON body (null for no body). */
    record Reply(int status, JsonNode body) {
        static Reply noContent() {
            return new Reply(204, null);
        }
    }

    String operationId() {
        return match.operation().operationId;
    }

    String pathParam(String name) {
        return match.pathParams().get(name);
    }

    String queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The page size asked for, else the operation's default (from the spec, else 20). */
    int pageSize() {
        String size = queryParam("page[size]");
        if (size != null) {
            return Integer.parseInt(size.trim());
        }
        return match.operation().param("query", "page[size]").map(p -> p.schema().path("default").asInt(20))
                .orElse(20);
    }

    /** The filter's conditions (already validated), empty without a filter. */
    List<Filter.Condition> filter() {
        String f = queryParam("filter");
        return f == null ? List.of() : Filter.parse(f);
    }

    /** The values an {@code equals}/{@code any} condition on this field asks for, or null when there is none. */
    List<String> filterValues(String field) {
        for (Filter.Condition c : filter()) {
            if (c.field().equals(field) && (c.operator().equals("equals") || c.operator().equals("any"))) {
                return c.values();
            }
        }
        return null;
    }

    /**
     * One page of {@code items} (sorted by id) after the cursor's id, rendered by {@code render}, with
     * {@code links.self} and {@code links.next}.
     */
    <T> ObjectNode page(NavigableMap<String, T> items, java.util.function.Predicate<T> keep,
            Function<T, ObjectNode> render) {
        return page(items, (id, item) -> item, keep, render);
    }

    /** As above over an index whose entries {@code resolve} turns into items (null: skipped, e.g. deleted). */
    <K, T> ObjectNode page(NavigableMap<String, K> index, java.util.function.BiFunction<String, K, T> resolve,
            java.util.function.Predicate<T> keep, Function<T, ObjectNode> render) {
        String cursor = queryParam("page[cursor]");
        NavigableMap<String, K> view = index;
        if (cursor != null) {
            String after = JsonApi.position(cursor);
            if (after == null) {
                throw new ApiException(JsonApi.ApiError.invalid("Invalid page cursor.", null, "page[cursor]"));
            }
            view = index.tailMap(after, false);
        }
        int size = pageSize();
        List<ObjectNode> data = new ArrayList<>();
        String last = null;
        boolean more = false;
        Iterator<Map.Entry<String, K>> it = view.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, K> e = it.next();
            T item = resolve.apply(e.getKey(), e.getValue());
            if (item == null || !keep.test(item)) {
                continue;
            }
            if (data.size() == size) {
                more = true;
                break;
            }
            data.add(render.apply(item));
            last = e.getKey();
        }
        ObjectNode doc = JsonApi.object();
        ArrayNode array = doc.putArray("data");
        data.forEach(array::add);
        ObjectNode links = doc.putObject("links");
        links.put("self", baseUrl + path);
        if (more) {
            links.put("next", baseUrl + path + "?page%5Bcursor%5D=" + JsonApi.cursor(last)
                    + (query.containsKey("page[size]") ? "&page%5Bsize%5D=" + size : "")
                    + (query.containsKey("filter") ? "&filter=" + java.net.URLEncoder.encode(queryParam("filter"),
                            java.nio.charset.StandardCharsets.UTF_8) : ""));
        }
        return doc;
    }

    /** {@code {"data": resource, "links": {"self": ...}}}. */
    ObjectNode single(ObjectNode resource) {
        ObjectNode doc = JsonApi.object();
        doc.set("data", resource);
        doc.putObject("links").put("self", baseUrl + path);
        return doc;
    }
}
