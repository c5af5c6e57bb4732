package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The contacts of one {@link SendGridEventDestination#deliver} call and the
 * {@code PUT /v3/marketing/contacts} requests that upsert them: the state of a single call, never
 * shared.
 *
 * <p>The events' changes are coalesced into one contact per e-mail, merged in event order so that
 * the last value of each field wins and fields a later event does not mention keep the earlier
 * value. Contacts joining the default list and the others go in separate requests (a request's
 * {@code list_ids} apply to all its contacts). A 202 delivers every event of the request; SendGrid's
 * import job is not awaited.
 *
 * <p>A 400 is narrowed down to the events at fault, so that the others are still delivered:
 * <ul>
 *   <li>one that mentions a custom field id this request used makes the ids be looked up again,
 *       once per call (the field was deleted or recreated in SendGrid), and the request be resent;</li>
 *   <li>one naming {@code list_ids} rejects the identify events that asked to join the list;</li>
 *   <li>one naming contacts ({@code contacts[3].phone_number}) rejects, per contact, the event whose
 *       value of that field won the merge (all its events for {@code email}); the contact's other
 *       events are merged again and resent;</li>
 *   <li>one that names nothing is halved: first the contacts, then the events of a single contact
 *       (in order, each part its own request), until the refused event stands alone.</li>
 * </ul>
 * Narrowing stops after {@value #MAX_REQUESTS} requests per call: what is still to be sent then is
 * rejected with SendGrid's latest refusal, so that a batch always makes progress.
 */
final class DestinationBatch {

    /** The most {@code PUT} requests one call makes (all contacts fit in one: at most 500 events). */
    static final int MAX_REQUESTS = 50;
    private static final String PATH = "/v3/marketing/contacts";

    /** One contact of a request: its e-mail and the changes of its events, oldest first. */
    record PendingContact(String email, List<ContactChanges> changes) {

        boolean joinsList() {
            return changes.stream().anyMatch(ContactChanges::joinsList);
        }

        PendingContact without(Collection<ContactChanges> removed) {
            return new PendingContact(email, changes.stream().filter(c -> !removed.contains(c)).toList());
        }

        /** The earlier and the later half of the events, for requests of their own. */
        List<PendingContact> halves() {
            int half = changes.size() / 2;
            return List.of(new PendingContact(email, changes.subList(0, half)),
                    new PendingContact(email, changes.subList(half, changes.size())));
        }
    }

    private final ConnectorContext ctx;
    private final SendGridApi api;
    private final CustomFieldCatalog catalog;
    private final DeliveryOutcomes outcomes;
    private final String listId;
    private Set<DestinationField> wanted = EnumSet.noneOf(DestinationField.class);
    private CustomFieldCatalog.Resolution fields = CustomFieldCatalog.Resolution.empty();
    private boolean refreshed;
    /** Why identify events cannot join the default list, once SendGrid refused it; and its status. */
    private String listProblem;
    private int listProblemStatus;
    /** SendGrid's 403 to the upsert: every event left is rejected with it. */
    private String forbidden;
    private int requests;
    /** SendGrid's latest 400 or 413 and its status, for what is left when narrowing down stops. */
    private String lastRefusal = "see the event log";
    private Integer lastRefusalStatus;

    DestinationBatch(ConnectorContext ctx, DeliveryOutcomes outcomes, String listId) {
        this.ctx = ctx;
        this.api = new SendGridApi(ctx);
        this.catalog = new CustomFieldCatalog(ctx, api);
        this.outcomes = outcomes;
        this.listId = listId;
    }

    /** Upserts the contacts of these changes (in event order) and settles every event. */
    void deliver(List<ContactChanges> changes) throws ConnectorException {
        if (changes.isEmpty()) {
            return;
        }
        for (ContactChanges c : changes) {
            wanted.addAll(c.customFields().keySet());
        }
        if (!wanted.isEmpty()) {
            fields = catalog.resolve(wanted);
        }
        Map<String, List<ContactChanges>> byEmail = new LinkedHashMap<>();
        for (ContactChanges c : changes) {
            byEmail.computeIfAbsent(c.email(), e -> new ArrayList<>()).add(c);
        }
        send(byEmail.entrySet().stream().map(e -> new PendingContact(e.getKey(), List.copyOf(e.getValue()))).toList());
    }

    /** Sends the contacts that are still to be sent, in requests of one kind and within SendGrid's limits. */
    private void send(List<PendingContact> contacts) throws ConnectorException {
        List<PendingContact> ready = prepare(contacts);
        Map<Boolean, List<PendingContact>> byList = ready.stream().collect(Collectors.partitioningBy(PendingContact::joinsList));
        if (!byList.get(true).isEmpty() && !byList.get(false).isEmpty()) {
            send(byList.get(true));
            send(byList.get(false));
            return;
        }
        if (ready.isEmpty()) {
            return;
        }
        String list = ready.get(0).joinsList() ? listId : null;
        List<UpsertBody.Contact> bodies = new ArrayList<>(ready.size());
        for (PendingContact c : ready) {
            bodies.add(new UpsertBody.Contact(c.email(), ctx.json().write(contactJson(c))));
        }
        UpsertBody request = UpsertBody.first(ctx.json(), list, bodies);
        if (request.size() == 0) {
            reject(ready.get(0).changes(), "The contact " + ready.get(0).email() + " would take more than SendGrid's "
                    + UpsertBody.MAX_BYTES + " bytes per request.", null);
            send(ready.subList(1, ready.size()));
            return;
        }
        put(ready.subList(0, request.size()), request, list);
        send(ready.subList(request.size(), ready.size()));
    }

    /**
     * The contacts without the events that cannot be sent: those needing a custom field that is
     * unusable, identify events for a default list SendGrid refused, and everything once SendGrid
     * refused the key.
     */
    private List<PendingContact> prepare(List<PendingContact> contacts) {
        List<PendingContact> out = new ArrayList<>(contacts.size());
        for (PendingContact c : contacts) {
            List<ContactChanges> keep = new ArrayList<>(c.changes().size());
            for (ContactChanges change : c.changes()) {
                Optional<CustomFieldCatalog.Problem> fieldProblem = change.customFields().keySet().stream()
                        .map(this::problem).flatMap(Optional::stream).findFirst();
                if (forbidden != null) {
                    reject(List.of(change), forbidden, 403);
                } else if (listProblem != null && change.joinsList()) {
                    reject(List.of(change), listProblem, listProblemStatus);
                } else if (fieldProblem.isPresent()) {
                    reject(List.of(change), fieldProblem.get().reason(), fieldProblem.get().httpStatus());
                } else {
                    keep.add(change);
                }
            }
            if (!keep.isEmpty()) {
                out.add(new PendingContact(c.email(), List.copyOf(keep)));
            }
        }
        return out;
    }

    private Optional<CustomFieldCatalog.Problem> problem(DestinationField field) {
        if (fields.ids().containsKey(field)) {
            return Optional.empty();
        }
        return Optional.of(fields.problems().getOrDefault(field, new CustomFieldCatalog.Problem("The SendGrid custom "
                + "field \"" + field.fieldName() + "\" could not be resolved.", null)));
    }

    /** The contact as SendGrid takes it: its events' changes merged in order, custom fields by id. */
    private Map<String, Object> contactJson(PendingContact c) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("email", c.email());
        Map<String, Object> custom = new LinkedHashMap<>();
        for (ContactChanges change : c.changes()) {
            contact.putAll(change.fields());
            change.customFields().forEach((field, value) -> custom.put(fields.ids().get(field), value));
        }
        if (!custom.isEmpty()) {
            contact.put("custom_fields", custom);
        }
        return contact;
    }

    private void put(List<PendingContact> contacts, UpsertBody request, String list) throws ConnectorException {
        if (requests >= MAX_REQUESTS) {
            // only narrowing a refusal down takes this many: give up on what is left of it
            String reason = "SendGrid refused a request carrying this event (" + lastRefusal + "), and the connector "
                    + "stopped looking for the events at fault after " + MAX_REQUESTS + " requests in one delivery.";
            ctx.log().error("contacts refused", reason);
            contacts.forEach(c -> reject(c.changes(), reason, lastRefusalStatus));
            return;
        }
        requests++;
        HttpResult r;
        try {
            r = api.send(SendGridApi.prompt(HttpCall.put(api.uri(PATH))).json(request.body()));
        } catch (PermanentConnectorException e) {
            if (!"forbidden".equals(e.code())) {
                throw e;  // 401: no call with this key can succeed
            }
            forbidden = e.getMessage();
            ctx.log().error("contacts refused", forbidden);
            send(contacts);  // rejects them all
            return;
        }
        if (r.isSuccess()) {
            submitted(contacts, request, list, r);
            return;
        }
        List<Map<?, ?>> errors = api.errors(r);
        if (r.status() == 400 && !refreshed && !Collections.disjoint(UpsertErrors.words(errors), usedFieldIds(contacts))) {
            refreshed = true;
            fields = catalog.refresh(wanted);
            send(contacts);
            return;
        }
        if (list != null && api.listRefused(r)) {
            listProblem = "SendGrid refused the default list " + list + " (default_list_id): " + r.status() + ", "
                    + api.errorMessage(r) + ". Set default_list_id to the id of an existing SendGrid Marketing list, "
                    + "then replay the rejected identify events.";
            listProblemStatus = r.status();
            ctx.log().error("default list refused", listProblem);
            send(contacts);  // without the identify events that asked to join it
            return;
        }
        if (r.status() != 400 && r.status() != 413) {
            String reason = "SendGrid answered " + r.status() + " to PUT " + PATH + ": " + api.errorMessage(r) + ".";
            ctx.log().error("contacts refused", reason);
            contacts.forEach(c -> reject(c.changes(), reason, r.status()));
            return;
        }
        lastRefusal = r.status() + ": " + api.errorMessage(r);
        lastRefusalStatus = r.status();
        Map<Integer, List<Map<?, ?>>> named = UpsertErrors.byContact(errors, contacts.size());
        if (!named.isEmpty()) {
            refuseNamed(contacts, named, r.status());
        } else if (contacts.size() > 1) {
            int half = contacts.size() / 2;
            send(contacts.subList(0, half));
            send(contacts.subList(half, contacts.size()));
        } else if (contacts.get(0).changes().size() > 1) {
            for (PendingContact part : contacts.get(0).halves()) {
                send(List.of(part));
            }
        } else {
            refuse(contacts.get(0).changes(), contacts.get(0).email(), api.errorMessage(r), r.status());
        }
    }

    private void submitted(List<PendingContact> contacts, UpsertBody request, String list, HttpResult r) {
        int events = 0;
        for (PendingContact c : contacts) {
            for (ContactChanges change : c.changes()) {
                outcomes.delivered(change.event(), r.status());
                events++;
            }
        }
        String jobId = jobId(r);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("job_id", jobId);
        details.put("contacts", contacts.size());
        details.put("events", events);
        details.put("request_bytes", request.body().length);
        if (list != null) {
            details.put("list_id", list);
        }
        ctx.log().record(EventLog.Level.INFO, "contacts submitted", "Sent " + contacts.size() + " contact(s) from "
                + events + " event(s) to SendGrid" + (list == null ? "" : ", adding them to the default list")
                + "; SendGrid imports them in job " + jobId + ".", details);
    }

    private String jobId(HttpResult r) {
        try {
            if (ctx.json().parse(r.body()) instanceof Map<?, ?> m && m.get("job_id") instanceof String id) {
                return id;
            }
        } catch (IllegalArgumentException notJson) {
            // SendGrid accepted the contacts all the same
        }
        return "(not named)";
    }

    /**
     * Handles a 400 naming contacts: per named contact, the events whose values SendGrid refused
     * are rejected and the contact's other events sent again; a contact whose errors name no field
     * of ours has its events halved. Contacts not named are sent again as they were.
     */
    private void refuseNamed(List<PendingContact> contacts, Map<Integer, List<Map<?, ?>>> named, int status)
            throws ConnectorException {
        List<PendingContact> again = new ArrayList<>();
        List<PendingContact> halve = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            PendingContact c = contacts.get(i);
            List<Map<?, ?>> errors = named.get(i);
            if (errors == null) {
                again.add(c);
                continue;
            }
            String message = errors.stream().map(e -> String.valueOf(e.get("message"))).distinct().collect(Collectors.joining("; "));
            Set<ContactChanges> culprits = culprits(c, errors);
            if (culprits == null && c.changes().size() > 1) {
                halve.add(c);
            } else if (culprits == null) {
                refuse(c.changes(), c.email(), message, status);
            } else {
                refuse(culprits, c.email(), message, status);
                PendingContact rest = c.without(culprits);
                if (!rest.changes().isEmpty()) {
                    again.add(rest);
                }
            }
        }
        send(again);
        for (PendingContact c : halve) {
            for (PendingContact part : c.halves()) {
                send(List.of(part));
            }
        }
    }

    /**
     * The events whose values SendGrid refused: for each error, the last event that set the field
     * it names (every event for {@code email}); null when an error names no field of ours.
     */
    private Set<ContactChanges> culprits(PendingContact c, List<Map<?, ?>> errors) {
        Set<ContactChanges> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map<?, ?> error : errors) {
            String path = UpsertErrors.fieldPath(error);
            if (path == null) {
                return null;
            }
            if (path.equals("email")) {
                out.addAll(c.changes());
                continue;
            }
            Optional<DestinationField> custom = path.startsWith("custom_fields")
                    ? UpsertErrors.words(List.of(error)).stream().map(fields::fieldOfId).flatMap(Optional::stream).findFirst()
                    : Optional.empty();
            ContactChanges setter = null;
            for (ContactChanges change : c.changes()) {
                if (custom.isPresent() ? change.customFields().containsKey(custom.get()) : change.fields().containsKey(path)) {
                    setter = change;
                }
            }
            if (setter == null) {
                return null;
            }
            out.add(setter);
        }
        return out;
    }

    private Set<String> usedFieldIds(List<PendingContact> contacts) {
        Set<String> out = new java.util.HashSet<>();
        for (PendingContact c : contacts) {
            for (ContactChanges change : c.changes()) {
                change.customFields().keySet().forEach(f -> out.add(fields.ids().get(f)));
            }
        }
        return out;
    }

    private void refuse(Collection<ContactChanges> changes, String email, String message, int status) {
        String reason = "SendGrid refused the contact " + email + " (" + status + ": " + message + ").";
        ctx.log().record(EventLog.Level.WARNING, "contact refused", reason, Map.of("email", email, "events", changes.size()));
        reject(changes, reason, status);
    }

    private void reject(Collection<ContactChanges> changes, String reason, Integer status) {
        changes.forEach(c -> outcomes.rejected(c.event(), reason, status));
    }
}
