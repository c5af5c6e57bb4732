package dev.junction.fakesendgrid;

import static dev.junction.fakesendgrid.Permission.Action.CREATE;
import static dev.junction.fakesendgrid.Permission.Action.DELETE;
import static dev.junction.fakesendgrid.Permission.Action.READ;
import static dev.junction.fakesendgrid.Permission.Action.UPDATE;
import static dev.junction.fakesendgrid.Permission.Resource.CONTACTS;
import static dev.junction.fakesendgrid.Permission.Resource.CUSTOM_FIELDS;
import static dev.junction.fakesendgrid.Permission.Resource.LISTS;
import static dev.junction.fakesendgrid.Permission.Resource.SEGMENTS;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The modeled SendGrid v3 operations: which handler answers each and the permission it needs (README G1).
 * The handlers are grouped by resource: {@link ListsApi}, {@link ContactsApi}, {@link ExportsApi},
 * {@link FieldsApi}, {@link SegmentsApi}.
 */
final class Api {
    /** "up to 30,000 contacts, or 6MB of data, whichever is lower" (PUT /v3/marketing/contacts description). */
    static final int MAX_CONTACTS_PER_UPSERT = 30_000;
    static final long MAX_UPSERT_BYTES = 6_000_000L;
    /** "retrieve up to 100 contacts matching the searched email address(es)" (search/emails description). */
    static final int MAX_SEARCH_EMAILS = 100;
    /** page_size: "Defaults to 100, returns 1000 max" (GET /v3/marketing/lists). */
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    static final int SAMPLE_SIZE = 50;

    /** A modeled operation: the permission it needs (null: any valid key) and its handler. */
    record Route(Permission permission, Function<Call, Reply> handler) {}

    private final Map<String, Route> routes = new HashMap<>();
    private final ApiKeys keys;
    private final ContactsApi contacts;
    /** The segment handlers, whose page size FakeSendGrid#segmentsPageSize sets. */
    final SegmentsApi segments;

    Api(Store store, Jobs jobs, String baseUrl, int maxIdsPerDelete, ApiKeys keys) {
        this.keys = keys;
        this.contacts = new ContactsApi(store, jobs, baseUrl, maxIdsPerDelete);
        this.segments = new SegmentsApi(store, baseUrl);
        ListsApi lists = new ListsApi(store, jobs, contacts, baseUrl, maxIdsPerDelete);
        ExportsApi exports = new ExportsApi(store, jobs, baseUrl);
        FieldsApi fields = new FieldsApi(store, baseUrl);
        route("GET /v3/scopes", null, this::scopes);
        route("POST /v3/marketing/lists", p(LISTS, CREATE), lists::createList);
        route("GET /v3/marketing/lists", p(LISTS, READ), lists::listLists);
        route("GET /v3/marketing/lists/{id}", p(LISTS, READ), lists::getList);
        route("PATCH /v3/marketing/lists/{id}", p(LISTS, UPDATE), lists::updateList);
        route("DELETE /v3/marketing/lists/{id}", p(LISTS, DELETE), lists::deleteList);
        route("GET /v3/marketing/lists/{id}/contacts/count", p(LISTS, READ), lists::listContactCount);
        route("DELETE /v3/marketing/lists/{id}/contacts", p(LISTS, DELETE), lists::removeFromList);
        route("PUT /v3/marketing/contacts", p(CONTACTS, UPDATE), contacts::upsertContacts);
        route("DELETE /v3/marketing/contacts", p(CONTACTS, DELETE), contacts::deleteContacts);
        route("GET /v3/marketing/contacts", p(CONTACTS, READ), contacts::sampleContacts);
        route("GET /v3/marketing/contacts/{id}", p(CONTACTS, READ), contacts::getContact);
        route("GET /v3/marketing/contacts/count", p(CONTACTS, READ), contacts::contactCount);
        route("POST /v3/marketing/contacts/search/emails", p(CONTACTS, READ), contacts::searchEmails);
        route("GET /v3/marketing/contacts/imports/{id}", p(CONTACTS, READ), contacts::importStatus);
        route("POST /v3/marketing/contacts/exports", p(CONTACTS, READ), exports::createExport);
        route("GET /v3/marketing/contacts/exports", p(CONTACTS, READ), exports::listExports);
        route("GET /v3/marketing/contacts/exports/{id}", p(CONTACTS, READ), exports::exportStatus);
        route("GET /v3/marketing/field_definitions", p(CUSTOM_FIELDS, READ), fields::listFields);
        route("POST /v3/marketing/field_definitions", p(CUSTOM_FIELDS, CREATE), fields::createField);
        route("PATCH /v3/marketing/field_definitions/{custom_field_id}", p(CUSTOM_FIELDS, UPDATE), fields::updateField);
        route("DELETE /v3/marketing/field_definitions/{custom_field_id}", p(CUSTOM_FIELDS, DELETE), fields::deleteField);
        route("GET /v3/marketing/segments", p(SEGMENTS, READ), c -> segments.segments(c, false));
        route("GET /v3/marketing/segments/{segment_id}", p(SEGMENTS, READ), c -> segments.segment(c, false));
        route("GET /v3/marketing/segments/2.0", p(SEGMENTS, READ), c -> segments.segments(c, true));
        route("GET /v3/marketing/segments/2.0/{segment_id}", p(SEGMENTS, READ), c -> segments.segment(c, true));
    }

    private static Permission p(Permission.Resource resource, Permission.Action action) {
        return new Permission(resource, action);
    }

    private void route(String key, Permission permission, Function<Call, Reply> handler) {
        routes.put(key, new Route(permission, handler));
    }

    Route route(String method, String template) {
        return routes.get(method + " " + template);
    }

    /** The modeled operations as "METHOD template". */
    Set<String> routeKeys() {
        return Set.copyOf(routes.keySet());
    }

    /** The errors file behind an import's errors_url (served by the dispatcher without auth). */
    Reply importErrors(String jobId) {
        return contacts.importErrors(jobId);
    }

    private Reply scopes(Call call) {
        ObjectNode body = Json.object();
        ArrayNode arr = body.putArray("scopes");
        ApiKeys.Key key = keys.get(call.apiKey());
        new TreeSet<>(key == null ? Set.<String>of() : key.scopes()).forEach(arr::add);
        return Reply.json(200, body);
    }
}
