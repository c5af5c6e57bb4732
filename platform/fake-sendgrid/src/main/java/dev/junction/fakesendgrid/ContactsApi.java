package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v3/marketing/contacts*} but exports: upserts, deletes, reads, searches, import jobs. */
final class ContactsApi {
    private final Store store;
    private final Jobs jobs;
    private final String baseUrl;
    private final int maxIdsPerDelete;

    ContactsApi(Store store, Jobs jobs, String baseUrl, int maxIdsPerDelete) {
        this.store = store;
        this.jobs = jobs;
        this.baseUrl = baseUrl;
        this.maxIdsPerDelete = maxIdsPerDelete;
    }

    ObjectNode contactJson(Store.Contact c) {
        ObjectNode n = Json.object();
        n.put("id", c.id());
        n.put("email", c.email());
        ArrayNode alt = n.putArray("alternate_emails");
        if (c.alternateEmails() != null) {
            for (String a : c.alternateEmails()) {
                alt.add(a);
            }
        }
        for (Reserved r : Reserved.values()) {
            String v = c.get(r);
            n.put(r.wire, v == null ? "" : v);
        }
        ArrayNode lists = n.putArray("list_ids");
        for (String l : c.listIds()) {
            lists.add(l);
        }
        ArrayNode segs = n.putArray("segment_ids");
        store.segmentIdsOf(c.id()).forEach(segs::add);
        ObjectNode custom = n.putObject("custom_fields");
        store.customByName(c).forEach((k, v) -> custom.set(k, Json.MAPPER.valueToTree(v)));
        n.put("created_at", Json.time(c.createdAt()));
        n.put("updated_at", Json.time(c.updatedAt()));
        n.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts/" + c.id());
        return n;
    }

    Reply upsertContacts(Call call) {
        JsonNode body = call.jsonObject();
        JsonNode contacts = body.get("contacts");
        if (contacts == null || !contacts.isArray()) {
            throw ApiError.badRequest("contacts", "contacts is required and must be an array");
        }
        if (contacts.size() < 1) {
            throw ApiError.badRequest("contacts", "contacts must contain at least 1 contact");
        }
        if (contacts.size() > Api.MAX_CONTACTS_PER_UPSERT) {
            throw ApiError.badRequest("contacts", "contacts may contain at most " + Api.MAX_CONTACTS_PER_UPSERT
                    + " contacts per request; got " + contacts.size());
        }
        List<String> listIds = new ArrayList<>();
        JsonNode lists = body.get("list_ids");
        if (lists != null && !lists.isNull()) {
            if (!lists.isArray()) {
                throw ApiError.badRequest("list_ids", "list_ids must be an array of list ids");
            }
            for (JsonNode l : lists) {
                if (!store.lists.containsKey(l.asText())) {
                    throw ApiError.badRequest("list_ids", "list id '" + l.asText() + "' does not exist");
                }
                listIds.add(l.asText());
            }
        }
        for (int i = 0; i < contacts.size(); i++) {
            JsonNode c = contacts.get(i);
            if (!c.isObject() || !(hasText(c, "email") || hasText(c, "phone_number_id") || hasText(c, "external_id")
                    || hasText(c, "anonymous_id"))) {
                throw ApiError.badRequest("contacts[" + i + "]",
                        "each contact needs at least one of email, phone_number_id, external_id or anonymous_id");
            }
        }
        ArrayNode refused = contactValueErrors(contacts);
        if (!refused.isEmpty()) {
            ObjectNode out = Json.object();
            out.set("errors", refused);
            return Reply.json(400, out);
        }
        Jobs.ImportJob job = jobs.submitUpsert(contacts, listIds);
        ObjectNode out = Json.object();
        out.put("job_id", job.id);
        return Reply.json(202, out);
    }

    /**
     * The request-time checks of contact values, one error per refused value, each naming its contact:
     * custom field ids must exist ({@code contacts[i].custom_fields}, "invalid custom field ids supplied - ids",
     * SendGrid's message as reported in sendgrid/sendgrid-nodejs#953), values must suit their field's type
     * ({@code contacts[i].custom_fields.<id>}), and values a test refused with
     * {@link FakeSendGrid#refuseContactValue} are refused.
     */
    private ArrayNode contactValueErrors(JsonNode contacts) {
        ArrayNode errors = Json.array();
        for (int i = 0; i < contacts.size(); i++) {
            JsonNode contact = contacts.get(i);
            JsonNode custom = contact.get("custom_fields");
            if (custom != null && custom.isObject()) {
                List<String> unknown = new ArrayList<>();
                var values = custom.fields();
                while (values.hasNext()) {
                    var value = values.next();
                    Store.FieldDef def = store.fields.get(value.getKey());
                    if (def == null) {
                        unknown.add(value.getKey());
                    } else if (!value.getValue().isNull()) {
                        try {
                            FieldValues.coerce(def, value.getValue());
                        } catch (IllegalArgumentException wrongType) {
                            addError(errors, "contacts[" + i + "].custom_fields." + def.id(), wrongType.getMessage());
                        }
                    }
                }
                if (!unknown.isEmpty()) {
                    addError(errors, "contacts[" + i + "].custom_fields", "invalid custom field ids supplied - " + String.join(",", unknown));
                }
            }
            for (Store.ValueRefusal refusal : store.refusals) {
                String field = refusedField(contact, refusal);
                if (field != null) {
                    addError(errors, "contacts[" + i + "]." + field, refusal.message());
                }
            }
        }
        return errors;
    }

    /** The field path of the contact that carries the refused value, or null. */
    private String refusedField(JsonNode contact, Store.ValueRefusal refusal) {
        JsonNode top = contact.get(refusal.field());
        if (top != null && top.isValueNode()) {
            boolean email = refusal.field().equals("email");
            return (email ? top.asText().equalsIgnoreCase(refusal.value()) : top.asText().equals(refusal.value())) ? refusal.field() : null;
        }
        Store.FieldDef def = store.fieldByNameOrId(refusal.field());
        JsonNode custom = def == null || contact.get("custom_fields") == null ? null : contact.get("custom_fields").get(def.id());
        return custom != null && custom.isValueNode() && custom.asText().equals(refusal.value()) ? "custom_fields." + def.id() : null;
    }

    private static void addError(ArrayNode errors, String field, String message) {
        ObjectNode error = errors.addObject();
        error.put("field", field);
        error.put("message", message);
    }

    private static boolean hasText(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank();
    }

    Reply deleteContacts(Call call) {
        String idsParam = call.queryParam("ids");
        String all = call.queryParam("delete_all_contacts");
        if (idsParam != null && all != null) {
            throw ApiError.badRequest(null, "set either ids or delete_all_contacts, not both");
        }
        Jobs.ImportJob job;
        if ("true".equals(all)) {
            job = jobs.submitDelete(null);
        } else if (idsParam != null) {
            job = jobs.submitDelete(Requests.ids("ids", idsParam, maxIdsPerDelete));
        } else {
            throw ApiError.badRequest(null, "you must set either ids or delete_all_contacts=true");
        }
        ObjectNode out = Json.object();
        out.put("job_id", job.id);
        return Reply.json(202, out);
    }

    Reply sampleContacts(Call call) {
        ObjectNode body = Json.object();
        ArrayNode result = body.putArray("result");
        store.byId.values().stream().sorted(Comparator.comparingLong(Store.Contact::updatedAt).reversed()).limit(Api.SAMPLE_SIZE)
                .sorted(Comparator.comparing(Store.Contact::email)).forEach(c -> result.add(contactJson(c)));
        body.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts");
        body.put("contact_count", store.byId.size());
        return Reply.json(200, body);
    }

    Reply getContact(Call call) {
        Store.Contact c = store.byId.get(call.pathParam("id"));
        if (c == null) {
            throw ApiError.notFound("contact not found");
        }
        return Reply.json(200, contactJson(c));
    }

    Reply contactCount(Call call) {
        ObjectNode body = Json.object();
        body.put("contact_count", store.byId.size());
        body.put("billable_count", store.byId.size());
        return Reply.json(200, body);
    }

    Reply searchEmails(Call call) {
        JsonNode emails = call.jsonObject().get("emails");
        if (emails == null || !emails.isArray()) {
            throw ApiError.badRequest("emails", "emails is required and must be an array");
        }
        if (emails.size() > Api.MAX_SEARCH_EMAILS) {
            throw ApiError.badRequest("emails", "emails may contain at most " + Api.MAX_SEARCH_EMAILS + " addresses; got " + emails.size());
        }
        Map<String, Store.Contact> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode e : emails) {
            String email = EmailAddresses.normalise(e.asText());
            if (email.isEmpty()) {
                continue; // "Empty strings are excluded from the search and will not be returned."
            }
            String problem = EmailAddresses.problem(email);
            if (problem != null) {
                throw ApiError.badRequest("emails", problem + ": '" + e.asText() + "'");
            }
            Store.Contact c = store.byEmail.get(email);
            if (c != null) {
                found.put(email, c);
            } else {
                missing.add(email);
            }
        }
        if (found.isEmpty()) {
            return Reply.json(404, Json.errors(null, "no contacts found"));
        }
        ObjectNode body = Json.object();
        ObjectNode result = body.putObject("result");
        found.forEach((email, c) -> result.putObject(email).set("contact", contactJson(c)));
        missing.forEach(email -> result.putObject(email).put("error", "contact not found"));
        return Reply.json(200, body);
    }

    Reply importStatus(Call call) {
        Jobs.ImportJob job = jobs.imports.get(call.pathParam("id"));
        if (job == null) {
            throw ApiError.notFound("job not found");
        }
        ObjectNode body = Json.object();
        body.put("id", job.id);
        body.put("status", job.status);
        body.put("job_type", job.jobType);
        ObjectNode results = body.putObject("results");
        results.put("requested_count", job.requested);
        if ("upsert".equals(job.jobType)) {
            results.put("created_count", job.created);
            results.put("updated_count", job.updated);
        } else {
            results.put("deleted_count", job.deleted);
        }
        results.put("errored_count", job.errored);
        if (job.errored > 0 && !"pending".equals(job.status)) {
            results.put("errors_url", baseUrl + "/_fake/import-errors/" + job.id + ".json");
        }
        body.put("started_at", Json.time(job.startedAt));
        if (job.finishedAt > 0) {
            body.put("finished_at", Json.time(job.finishedAt));
        }
        return Reply.json(200, body);
    }

    /** The errors file behind errors_url: {@code {"job_id":..., "errors":[{"index","email","message"}]}}. */
    Reply importErrors(String jobId) {
        Jobs.ImportJob job = jobs.imports.get(jobId);
        if (job == null || "pending".equals(job.status)) {
            return Reply.json(404, Json.errors(null, "not found"));
        }
        ObjectNode body = Json.object();
        body.put("job_id", job.id);
        ArrayNode errors = body.putArray("errors");
        synchronized (job.errors) {
            job.errors.forEach(errors::add);
        }
        return Reply.json(200, body);
    }
}
