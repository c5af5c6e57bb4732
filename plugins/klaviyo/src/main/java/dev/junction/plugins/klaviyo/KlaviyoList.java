package dev.junction.plugins.klaviyo;

import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Klaviyo list of one cohort sync: the installation's {@code default_list_id} when set (it must
 * exist), else the list whose id the sync's state holds, else a list with exactly the sync's name
 * (adopted), else a new one. A stored list deleted in Klaviyo is found or created again.
 */
final class KlaviyoList {

    private final KlaviyoApi api;
    private final SyncState state;
    private final String name;
    private String id;

    KlaviyoList(KlaviyoApi api, SyncState state, String name) {
        this.api = api;
        this.state = state;
        this.name = name;
    }

    String id() {
        return id;
    }

    void ensure() throws ConnectorException {
        String configured = api.context().config().string("default_list_id").filter(s -> !s.isBlank()).orElse(null);
        if (configured != null) {
            if (!exists(configured)) {
                throw new PermanentConnectorException("default_list_missing", "The installation's default list "
                        + configured + " does not exist in Klaviyo. Correct default_list_id or clear it to let each "
                        + "sync use a list of its own name.");
            }
            id = configured;
            return;
        }
        String stored = state.list().map(api.context().json()::parse).orElse(null) instanceof Map<?, ?> m
                && m.get("list_id") instanceof String s ? s : null;
        if (stored != null && exists(stored)) {
            id = stored;
            return;
        }
        if (stored != null) {
            log(EventLog.Level.WARNING, "list missing", "The Klaviyo list of this sync (" + stored + ") was deleted in "
                    + "Klaviyo; finding or creating \"" + name + "\" again.");
        }
        findOrCreate();
    }

    /** The list was deleted during the run (Klaviyo answered 404 for it): find or create it again. */
    void recover() throws ConnectorException {
        if (api.context().config().string("default_list_id").filter(s -> !s.isBlank()).isPresent()) {
            throw new PermanentConnectorException("default_list_missing", "The installation's default list " + id
                    + " was deleted in Klaviyo during the run.");
        }
        findOrCreate();
    }

    private boolean exists(String listId) throws ConnectorException {
        HttpResult r = api.send(KlaviyoApi.patient(HttpCall.get(api.uri("/api/lists/" + KlaviyoApi.encode(listId)))),
                "GET /api/lists/{id}");
        if (r.status() == 404) {
            return false;
        }
        if (!r.isSuccess()) {
            throw api.unexpected("GET /api/lists/{id}", r);
        }
        return true;
    }

    private void findOrCreate() throws ConnectorException {
        String found = findByName();
        if (found != null) {
            remember(found);
            log(EventLog.Level.INFO, "list found", "Using the existing Klaviyo list \"" + name + "\".");
            return;
        }
        Map<String, Object> body = Map.of("data", Map.of("type", "list", "attributes", Map.of("name", name)));
        HttpResult r = api.send(KlaviyoApi.patient(api.withBody(HttpCall.post(api.uri("/api/lists")), body))
                .maxAttempts(1), "POST /api/lists");  // a POST is not retried after a 5xx: it may have created the list
        if (r.isSuccess() && api.document("POST /api/lists", r).get("data") instanceof Map<?, ?> data
                && data.get("id") instanceof String created) {
            remember(created);
            log(EventLog.Level.INFO, "list created", "Created the Klaviyo list \"" + name + "\".");
            return;
        }
        throw new PermanentConnectorException("list_not_created", "Klaviyo refused to create the list \"" + name
                + "\" (" + r.status() + ": " + api.errorMessage(r) + ").");
    }

    /**
     * Klaviyo's list filter takes {@code name} with {@code any} and a list value (its
     * {@code x-klaviyo-filters}); names need not be unique, so the first exact match is adopted.
     */
    private String findByName() throws ConnectorException {
        String filter = "any(name,[" + api.context().json().writeString(name) + "])";
        String next = "/api/lists?filter=" + KlaviyoApi.encode(filter);
        for (int page = 0; page < 50 && next != null; page++) {
            HttpResult r = api.send(KlaviyoApi.patient(HttpCall.get(api.uri(next))), "GET /api/lists");
            if (!r.isSuccess()) {
                throw api.unexpected("GET /api/lists", r);
            }
            Map<?, ?> doc = api.document("GET /api/lists", r);
            if (doc.get("data") instanceof List<?> lists) {
                for (Object l : lists) {
                    if (l instanceof Map<?, ?> list && list.get("attributes") instanceof Map<?, ?> a
                            && name.equals(a.get("name")) && list.get("id") instanceof String listId) {
                        return listId;
                    }
                }
            }
            next = Pages.next(doc);
        }
        return null;
    }

    private void remember(String listId) {
        id = listId;
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("list_id", listId);
        value.put("list_name", name);
        state.list(api.context().json().writeString(value));
    }

    private void log(EventLog.Level level, String title, String message) {
        api.context().log().record(level, title, message, Map.of("list_id", id == null ? "" : id));
    }
}
