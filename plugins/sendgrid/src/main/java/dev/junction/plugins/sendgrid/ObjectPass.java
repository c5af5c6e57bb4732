package dev.junction.plugins.sendgrid;

import dev.junction.spi.Pause;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.objects.RecordSink;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.junction.plugins.sendgrid.SendGridCollections.CONTACTS;
import static dev.junction.plugins.sendgrid.SendGridCollections.FIELD_DEFINITIONS;
import static dev.junction.plugins.sendgrid.SendGridCollections.LISTS;
import static dev.junction.plugins.sendgrid.SendGridCollections.LIST_MEMBERSHIPS;
import static dev.junction.plugins.sendgrid.SendGridCollections.SEGMENTS;

/**
 * One object sync pass: custom field definitions, lists, segments, then contacts and their list
 * memberships from contact exports. Each collection is completed only once every object of it was
 * emitted; a failure on the way leaves the collections in progress uncompleted (the platform then
 * marks nothing deleted). The pass keeps nothing per contact: the lists (at most 1,000) are the
 * only objects it remembers.
 */
final class ObjectPass {

    /** GET /v3/marketing/lists {@code page_size}: "Defaults to 100, returns 1000 max". */
    static final int LIST_PAGE_SIZE = 1000;
    /** 1,000 lists fit on one page; more pages than this means SendGrid keeps answering "next". */
    private static final int MAX_LIST_PAGES = 20;
    /** SendGrid documents no paging for segments; {@code next} is followed should it appear. */
    private static final int MAX_SEGMENT_PAGES = 1000;
    /** Per-list exports waiting at SendGrid at the same time. */
    static final int PARALLEL_EXPORTS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ConnectorContext ctx;
    private final RecordSink sink;
    private final SendGridApi api;
    private final ContactExports exports;
    private final int listPageSize;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    ObjectPass(ConnectorContext ctx, RecordSink sink, Pause pause, int listPageSize) {
        this.ctx = ctx;
        this.sink = sink;
        this.listPageSize = listPageSize;
        this.api = new SendGridApi(ctx);
        this.exports = new ContactExports(ctx, api, pause);
    }

    void run() throws ConnectorException {
        fieldDefinitions();
        List<Map<String, Object>> lists = lists();
        segments();
        contactsAndMemberships(lists);
        Map<String, Object> fields = new LinkedHashMap<>();
        counts.forEach(fields::put);
        ctx.log().record(EventLog.Level.INFO, "object sync finished", "Synced " + counts.get(CONTACTS) + " contacts, "
                + counts.get(LISTS) + " lists, " + counts.get(SEGMENTS) + " segments, " + counts.get(FIELD_DEFINITIONS)
                + " field definitions and " + counts.get(LIST_MEMBERSHIPS) + " list memberships.", fields);
    }

    private void upsert(String collection, Map<String, Object> row, Map<?, ?> raw) {
        sink.upsert(collection, row, SendGridCollections.stringKeys(raw));
        counts.merge(collection, 1L, Long::sum);
    }

    private void begin(String collection) {
        sink.begin(collection);
        counts.put(collection, 0L);
    }

    /** {@code GET /v3/marketing/field_definitions}: custom and reserved fields, in one answer (no paging). */
    private void fieldDefinitions() throws ConnectorException {
        String what = "GET /v3/marketing/field_definitions";
        HttpResult r = api.send(SendGridApi.patient(HttpCall.get(api.uri("/v3/marketing/field_definitions")), TIMEOUT));
        if (!r.isSuccess()) {
            throw api.unexpected(what, r);
        }
        Map<?, ?> body = api.object(what, r);
        begin(FIELD_DEFINITIONS);
        for (String group : List.of("custom_fields", "reserved_fields")) {
            if (body.get(group) instanceof List<?> fields) {
                for (Object f : fields) {
                    if (f instanceof Map<?, ?> field) {
                        Map<String, Object> row = SendGridCollections.fieldDefinition(field, group.equals("reserved_fields"));
                        if (row != null) {
                            upsert(FIELD_DEFINITIONS, row, field);
                        }
                    }
                }
            }
        }
        sink.complete(FIELD_DEFINITIONS);
    }

    /** Every list, {@code page_size=1000} and {@code page_token}; returns their rows (id, contact_count). */
    private List<Map<String, Object>> lists() throws ConnectorException {
        begin(LISTS);
        List<Map<String, Object>> rows = new ArrayList<>();
        Pages.Outcome outcome = Pages.read(api, "GET /v3/marketing/lists", "/v3/marketing/lists?page_size="
                + listPageSize, "result", MAX_LIST_PAGES * LIST_PAGE_SIZE / listPageSize, TIMEOUT, list -> {
                    Map<String, Object> row = SendGridCollections.list(list);
                    if (row != null) {
                        upsert(LISTS, row, list);
                        rows.add(row);
                    }
                    return true;
                });
        requireExhausted(outcome, "GET /v3/marketing/lists");
        sink.complete(LISTS);
        return rows;
    }

    /**
     * Every segment of {@code GET /v3/marketing/segments/2.0}, each read with
     * {@code GET /v3/marketing/segments/2.0/{id}?contacts_sample=false} for its {@code query_dsl} (the
     * list leaves it out). A segment deleted in between (404) is left out.
     */
    private void segments() throws ConnectorException {
        begin(SEGMENTS);
        Pages.Outcome outcome = Pages.read(api, "GET /v3/marketing/segments/2.0", "/v3/marketing/segments/2.0",
                "results", MAX_SEGMENT_PAGES, TIMEOUT, summary -> {
                    String id = SendGridCollections.text(summary.get("id"));
                    if (id == null) {
                        return true;
                    }
                    String what = "GET /v3/marketing/segments/2.0/{segment_id}";
                    HttpResult r = api.send(SendGridApi.patient(HttpCall.get(api.uri("/v3/marketing/segments/2.0/"
                            + SendGridApi.encode(id) + "?contacts_sample=false")), TIMEOUT));
                    if (r.status() == 404) {
                        return true;  // deleted since the list was read
                    }
                    if (!r.isSuccess()) {
                        throw api.unexpected(what, r);
                    }
                    Map<String, Object> segment = SendGridCollections.stringKeys(api.object(what, r));
                    segment.remove("contacts_sample");  // a sample of members, not the segment
                    Map<String, Object> row = SendGridCollections.segment(segment);
                    if (row != null) {
                        upsert(SEGMENTS, row, segment);
                    }
                    return true;
                });
        requireExhausted(outcome, "GET /v3/marketing/segments/2.0");
        sink.complete(SEGMENTS);
    }

    private static void requireExhausted(Pages.Outcome outcome, String what) throws PermanentConnectorException {
        if (!outcome.exhausted()) {
            throw new PermanentConnectorException("unexpected_response", "SendGrid kept answering further pages to "
                    + what + " after " + outcome.items() + " items; the pass stopped without completing them");
        }
    }

    /**
     * Contacts from an export of all contacts. Their list memberships come from the lines' {@code list_ids}
     * when the export carries them; otherwise (SendGrid documents no list ids in exports, and the samples
     * its users published have none) from one export per list that may have members, {@link #PARALLEL_EXPORTS}
     * at a time. Memberships of lists this pass did not see are left out.
     */
    private void contactsAndMemberships(List<Map<String, Object>> lists) throws ConnectorException {
        Set<String> listIds = new HashSet<>();
        lists.forEach(l -> listIds.add((String) l.get("id")));
        begin(CONTACTS);
        begin(LIST_MEMBERSHIPS);
        String exportId = exports.request(List.of());
        ctx.log().record(EventLog.Level.INFO, "contact export requested", "Asked SendGrid to export every contact.",
                Map.of("export_id", exportId));
        ContactExports.Ready ready = exports.await(exportId);
        ctx.log().record(EventLog.Level.INFO, "contact export ready", "SendGrid's export of " + ready.contactCount()
                + " contacts is ready in " + ready.urls().size() + " file(s).",
                Map.of("export_id", exportId, "files", ready.urls().size(), "contact_count", ready.contactCount()));
        boolean[] listIdsInLines = new boolean[1];
        long lines = exports.read(ready, line -> {
            Map<String, Object> row = SendGridCollections.contact(line);
            if (row == null) {
                return;  // a line without an id cannot be stored; counted below
            }
            upsert(CONTACTS, row, line);
            if (row.get("list_ids") instanceof List<?> ids) {
                listIdsInLines[0] = true;
                for (Object listId : ids) {
                    if (listIds.contains(listId)) {
                        upsert(LIST_MEMBERSHIPS, SendGridCollections.membership((String) listId, (String) row.get("id")),
                                Map.of("list_id", listId, "contact_id", row.get("id")));
                    }
                }
            }
        });
        if (lines != counts.get(CONTACTS)) {
            ctx.log().record(EventLog.Level.WARNING, "contacts without id", (lines - counts.get(CONTACTS))
                    + " lines of SendGrid's export had no contact id and were skipped.", Map.of("export_id", exportId));
        }
        sink.complete(CONTACTS);
        String source = "contact export";
        if (!listIdsInLines[0]) {
            List<String> withMembers = withMembers(lists);
            source = withMembers.size() + " list export(s)";
            membershipsByListExports(withMembers, listIds);
        }
        sink.complete(LIST_MEMBERSHIPS);
        ctx.log().record(EventLog.Level.INFO, "list memberships read", "Read " + counts.get(LIST_MEMBERSHIPS)
                + " list memberships from the " + source + ".", Map.of("memberships", counts.get(LIST_MEMBERSHIPS)));
    }

    /** Ids of lists that may have members: a count of 0 is taken as empty, anything else is exported. */
    static List<String> withMembers(List<Map<String, Object>> lists) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> l : lists) {
            if (!(l.get("contact_count") instanceof Long c) || c > 0) {
                out.add((String) l.get("id"));
            }
        }
        return out;
    }

    /** One export per list, a few waiting at SendGrid at a time; each line is a member of the list. */
    private void membershipsByListExports(List<String> lists, Set<String> listIds) throws ConnectorException {
        record Pending(String listId, String exportId) { }
        Deque<Pending> waiting = new ArrayDeque<>();
        int next = 0;
        while (next < lists.size() || !waiting.isEmpty()) {
            while (waiting.size() < PARALLEL_EXPORTS && next < lists.size()) {
                String listId = lists.get(next++);
                String exportId = exports.request(List.of(listId));
                if (exportId == null) {
                    ctx.log().record(EventLog.Level.WARNING, "list gone", "A list was deleted in SendGrid during the "
                            + "pass; its members are read again next pass.", Map.of("list_id", listId));
                } else {
                    waiting.add(new Pending(listId, exportId));
                }
            }
            Pending p = waiting.poll();
            if (p == null) {
                continue;
            }
            exports.read(exports.await(p.exportId()), line -> {
                String contactId = SendGridCollections.contactId(line);
                if (contactId != null && listIds.contains(p.listId())) {
                    upsert(LIST_MEMBERSHIPS, SendGridCollections.membership(p.listId(), contactId),
                            Map.of("list_id", p.listId(), "contact_id", contactId));
                }
            });
        }
    }
}
