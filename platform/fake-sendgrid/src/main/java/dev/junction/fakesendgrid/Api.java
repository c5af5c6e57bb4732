package dev.junction.fakesendgrid;

import static dev.junction.fakesendgrid.Permission.Action.CREATE;
import static dev.junction.fakesendgrid.Permission.Action.DELETE;
import static dev.junction.fakesendgrid.Permission.Action.READ;
import static dev.junction.fakesendgrid.Permission.Action.UPDATE;
import static dev.junction.fakesendgrid.Permission.Resource.CONTACTS;
import static dev.junction.fakesendgrid.Permission.Resource.CUSTOM_FIELDS;
import static dev.junction.fakesendgrid.Permission.Resource.LISTS;
import static dev.junction.fakesendgrid.Permission.Resource.SEGMENTS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The fake's handlers for the modeled SendGrid v3 operations, with the permission each needs (README G1). */
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

  private final Store store;
  private final Jobs jobs;
  private final String baseUrl;
  private final int maxIdsPerDelete;
  private final Map<String, Route> routes = new HashMap<>();
  private final ApiKeys keys;
  /** Page size of the segment lists, 0 for one page (see FakeSendGrid#segmentsPageSize). */
  volatile int segmentsPageSize;

  Api(Store store, Jobs jobs, String baseUrl, int maxIdsPerDelete, ApiKeys keys) {
    this.store = store;
    this.jobs = jobs;
    this.baseUrl = baseUrl;
    this.maxIdsPerDelete = maxIdsPerDelete;
    this.keys = keys;
    route("GET /v3/scopes", null, this::scopes);
    route("POST /v3/marketing/lists", p(LISTS, CREATE), this::createList);
    route("GET /v3/marketing/lists", p(LISTS, READ), this::listLists);
    route("GET /v3/marketing/lists/{id}", p(LISTS, READ), this::getList);
    route("PATCH /v3/marketing/lists/{id}", p(LISTS, UPDATE), this::updateList);
    route("DELETE /v3/marketing/lists/{id}", p(LISTS, DELETE), this::deleteList);
    route("GET /v3/marketing/lists/{id}/contacts/count", p(LISTS, READ), this::listContactCount);
    route("DELETE /v3/marketing/lists/{id}/contacts", p(LISTS, DELETE), this::removeFromList);
    route("PUT /v3/marketing/contacts", p(CONTACTS, UPDATE), this::upsertContacts);
    route("DELETE /v3/marketing/contacts", p(CONTACTS, DELETE), this::deleteContacts);
    route("GET /v3/marketing/contacts", p(CONTACTS, READ), this::sampleContacts);
    route("GET /v3/marketing/contacts/{id}", p(CONTACTS, READ), this::getContact);
    route("GET /v3/marketing/contacts/count", p(CONTACTS, READ), this::contactCount);
    route("POST /v3/marketing/contacts/search/emails", p(CONTACTS, READ), this::searchEmails);
    route("GET /v3/marketing/contacts/imports/{id}", p(CONTACTS, READ), this::importStatus);
    route("POST /v3/marketing/contacts/exports", p(CONTACTS, READ), this::createExport);
    route("GET /v3/marketing/contacts/exports", p(CONTACTS, READ), this::listExports);
    route("GET /v3/marketing/contacts/exports/{id}", p(CONTACTS, READ), this::exportStatus);
    route("GET /v3/marketing/field_definitions", p(CUSTOM_FIELDS, READ), this::listFields);
    route("POST /v3/marketing/field_definitions", p(CUSTOM_FIELDS, CREATE), this::createField);
    route("PATCH /v3/marketing/field_definitions/{custom_field_id}", p(CUSTOM_FIELDS, UPDATE), this::updateField);
    route("DELETE /v3/marketing/field_definitions/{custom_field_id}", p(CUSTOM_FIELDS, DELETE), this::deleteField);
    route("GET /v3/marketing/segments", p(SEGMENTS, READ), c -> segments(c, false));
    route("GET /v3/marketing/segments/{segment_id}", p(SEGMENTS, READ), c -> segment(c, false));
    route("GET /v3/marketing/segments/2.0", p(SEGMENTS, READ), c -> segments(c, true));
    route("GET /v3/marketing/segments/2.0/{segment_id}", p(SEGMENTS, READ), c -> segment(c, true));
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

  // ------------------------------------------------------------------ scopes

  private Reply scopes(Call call) {
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("scopes");
    ApiKeys.Key key = keys.get(call.apiKey());
    new TreeSet<>(key == null ? Set.<String>of() : key.scopes()).forEach(arr::add);
    return Reply.json(200, body);
  }

  // ------------------------------------------------------------------ lists

  private ObjectNode listJson(Store.ListRec l) {
    ObjectNode n = Json.object();
    n.put("id", l.id);
    n.put("name", l.name);
    n.put("contact_count", l.members.size());
    n.putObject("_metadata").put("self", baseUrl + "/v3/marketing/lists/" + l.id);
    return n;
  }

  private static String requiredString(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw ApiError.badRequest(field, field + " is required");
    }
    if (!v.isTextual()) {
      throw ApiError.badRequest(field, field + " must be a string");
    }
    return v.asText();
  }

  private Reply createList(Call call) {
    return Reply.json(201, listJson(store.createList(requiredString(call.jsonObject(), "name"))));
  }

  private Reply listLists(Call call) {
    int pageSize = DEFAULT_PAGE_SIZE;
    String ps = call.queryParam("page_size");
    if (ps != null) {
      try {
        pageSize = Integer.parseInt(ps.trim());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("page_size", "page_size must be a number");
      }
      if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
        throw ApiError.badRequest("page_size", "page_size must be between 1 and " + MAX_PAGE_SIZE);
      }
    }
    int offset = 0;
    String token = call.queryParam("page_token");
    if (token != null && !token.isEmpty()) {
      offset = decodeToken("lists", token);
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
    meta.put("self", offset == 0 ? self : self + "&page_token=" + encodeToken("lists", offset));
    if (offset > 0) {
      int prev = Math.max(0, offset - pageSize);
      meta.put("prev", prev == 0 ? self : self + "&page_token=" + encodeToken("lists", prev));
    }
    if (end < all.size()) {
      meta.put("next", self + "&page_token=" + encodeToken("lists", end));
    }
    meta.put("count", all.size());
    return Reply.json(200, body);
  }

  private static String encodeToken(String kind, int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(String kind, String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith(kind + ":")) {
        int offset = Integer.parseInt(s.substring(kind.length() + 1));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw ApiError.badRequest("page_token", "invalid page_token");
  }

  private Reply getList(Call call) {
    Store.ListRec list = store.list(call.pathParam("id"));
    ObjectNode body = listJson(list);
    if ("true".equals(call.queryParam("contact_sample"))) {
      ArrayNode sample = body.putArray("contact_sample");
      list.members.stream().map(store.byId::get).filter(c -> c != null)
          .sorted(Comparator.comparingLong(Store.Contact::updatedAt).reversed()).limit(SAMPLE_SIZE)
          .forEach(c -> sample.add(contactJson(c)));
    }
    return Reply.json(200, body);
  }

  private Reply updateList(Call call) {
    return Reply.json(200, listJson(store.renameList(call.pathParam("id"), requiredString(call.jsonObject(), "name"))));
  }

  private Reply deleteList(Call call) {
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

  private Reply listContactCount(Call call) {
    Store.ListRec list = store.list(call.pathParam("id"));
    ObjectNode body = Json.object();
    body.put("contact_count", list.members.size());
    body.put("billable_count", list.members.size());
    return Reply.json(200, body);
  }

  private List<String> ids(String param, String value) {
    List<String> ids = Http.commaList(value);
    if (ids.isEmpty()) {
      throw ApiError.badRequest(param, param + " must list at least one contact id");
    }
    if (ids.size() > maxIdsPerDelete) {
      throw ApiError.badRequest(param, param + " may list at most " + maxIdsPerDelete + " ids per request; got " + ids.size());
    }
    return ids;
  }

  private Reply removeFromList(Call call) {
    Store.ListRec list = store.list(call.pathParam("id"));
    List<String> ids = ids("contact_ids", call.queryParam("contact_ids"));
    Set<String> unknown = Jobs.unknown(ids, store.byId);
    if (!unknown.isEmpty()) {
      throw new ApiError(404, "contact_ids", "contact ids do not exist: " + new TreeSet<>(unknown));
    }
    ObjectNode body = Json.object();
    body.put("job_id", jobs.submitListRemoval(list.id, ids));
    return Reply.json(202, body);
  }

  // ------------------------------------------------------------------ contacts

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
    for (Store.Reserved r : Store.Reserved.values()) {
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

  private Reply upsertContacts(Call call) {
    JsonNode body = call.jsonObject();
    JsonNode contacts = body.get("contacts");
    if (contacts == null || !contacts.isArray()) {
      throw ApiError.badRequest("contacts", "contacts is required and must be an array");
    }
    if (contacts.size() < 1) {
      throw ApiError.badRequest("contacts", "contacts must contain at least 1 contact");
    }
    if (contacts.size() > MAX_CONTACTS_PER_UPSERT) {
      throw ApiError.badRequest("contacts", "contacts may contain at most " + MAX_CONTACTS_PER_UPSERT
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
              Store.coerce(def, value.getValue());
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

  private Reply deleteContacts(Call call) {
    String idsParam = call.queryParam("ids");
    String all = call.queryParam("delete_all_contacts");
    if (idsParam != null && all != null) {
      throw ApiError.badRequest(null, "set either ids or delete_all_contacts, not both");
    }
    Jobs.ImportJob job;
    if ("true".equals(all)) {
      job = jobs.submitDelete(null);
    } else if (idsParam != null) {
      job = jobs.submitDelete(ids("ids", idsParam));
    } else {
      throw ApiError.badRequest(null, "you must set either ids or delete_all_contacts=true");
    }
    ObjectNode out = Json.object();
    out.put("job_id", job.id);
    return Reply.json(202, out);
  }

  private Reply sampleContacts(Call call) {
    ObjectNode body = Json.object();
    ArrayNode result = body.putArray("result");
    store.byId.values().stream().sorted(Comparator.comparingLong(Store.Contact::updatedAt).reversed()).limit(SAMPLE_SIZE)
        .sorted(Comparator.comparing(Store.Contact::email)).forEach(c -> result.add(contactJson(c)));
    body.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts");
    body.put("contact_count", store.byId.size());
    return Reply.json(200, body);
  }

  private Reply getContact(Call call) {
    Store.Contact c = store.byId.get(call.pathParam("id"));
    if (c == null) {
      throw ApiError.notFound("contact not found");
    }
    return Reply.json(200, contactJson(c));
  }

  private Reply contactCount(Call call) {
    ObjectNode body = Json.object();
    body.put("contact_count", store.byId.size());
    body.put("billable_count", store.byId.size());
    return Reply.json(200, body);
  }

  private Reply searchEmails(Call call) {
    JsonNode emails = call.jsonObject().get("emails");
    if (emails == null || !emails.isArray()) {
      throw ApiError.badRequest("emails", "emails is required and must be an array");
    }
    if (emails.size() > MAX_SEARCH_EMAILS) {
      throw ApiError.badRequest("emails", "emails may contain at most " + MAX_SEARCH_EMAILS + " addresses; got " + emails.size());
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

  private Reply importStatus(Call call) {
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

  private Reply createExport(Call call) {
    JsonNode body = call.bodyBytes().length == 0 ? Json.object() : call.jsonObject();
    String fileType = body.path("file_type").asText("csv");
    if (!fileType.equals("csv") && !fileType.equals("json")) {
      throw ApiError.badRequest("file_type", "file_type must be csv or json");
    }
    List<String> listIds = stringList(body, "list_ids");
    for (String id : listIds) {
      if (!store.lists.containsKey(id)) {
        throw ApiError.badRequest("list_ids", "list id '" + id + "' does not exist");
      }
    }
    List<String> segmentIds = stringList(body, "segment_ids");
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

  private static List<String> stringList(JsonNode body, String field) {
    List<String> out = new ArrayList<>();
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw ApiError.badRequest(field, field + " must be an array");
    }
    v.forEach(x -> out.add(x.asText()));
    return out;
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

  private Reply exportStatus(Call call) {
    Jobs.ExportJob job = jobs.exports.get(call.pathParam("id"));
    if (job == null) {
      throw ApiError.notFound("export not found");
    }
    return Reply.json(200, exportJson(job));
  }

  private Reply listExports(Call call) {
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

  // ------------------------------------------------------------------ custom fields

  private ObjectNode fieldJson(Store.FieldDef f) {
    ObjectNode n = Json.object();
    n.put("id", f.id());
    n.put("name", f.name());
    n.put("field_type", f.type().wireName());
    return n;
  }

  private Reply listFields(Call call) {
    ObjectNode body = Json.object();
    ArrayNode custom = body.putArray("custom_fields");
    store.fields.values().stream().sorted(Comparator.comparing(Store.FieldDef::name)).forEach(f -> custom.add(fieldJson(f)));
    ArrayNode reserved = body.putArray("reserved_fields");
    for (int i = 0; i < Store.RESERVED_DEFINITIONS.size(); i++) {
      String[] d = Store.RESERVED_DEFINITIONS.get(i);
      ObjectNode n = reserved.addObject();
      n.put("id", "_rf" + i + "_" + d[1].charAt(0));
      n.put("name", d[0]);
      n.put("field_type", d[1]);
      n.put("read_only", Boolean.parseBoolean(d[2]));
    }
    body.putObject("_metadata").put("self", baseUrl + "/v3/marketing/field_definitions");
    return Reply.json(200, body);
  }

  private Reply createField(Call call) {
    JsonNode body = call.jsonObject();
    String name = requiredString(body, "name");
    FieldType type;
    try {
      type = FieldType.fromWireName(requiredString(body, "field_type"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("field_type", "field_type must be one of Text, Number, Date");
    }
    ObjectNode out = fieldJson(store.createField(name, type));
    out.putObject("_metadata").put("self", baseUrl + "/v3/marketing/field_definitions/" + out.get("id").asText());
    return Reply.json(200, out);
  }

  private Reply updateField(Call call) {
    ObjectNode out = fieldJson(store.renameField(call.pathParam("custom_field_id"), requiredString(call.jsonObject(), "name")));
    out.putObject("_metadata").put("self", baseUrl + "/v3/marketing/field_definitions/" + out.get("id").asText());
    return Reply.json(200, out);
  }

  private Reply deleteField(Call call) {
    store.deleteField(call.pathParam("custom_field_id"));
    return Reply.empty(204);
  }

  // ------------------------------------------------------------------ segments

  private Reply segments(Call call, boolean v2) {
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
    int pageSize = v2 && segmentsPageSize > 0 ? segmentsPageSize : Integer.MAX_VALUE;
    String token = call.queryParam("page_token");
    int offset = v2 && token != null && !token.isEmpty() ? decodeToken("segments", token) : 0;
    int end = (int) Math.min(matching.size(), (long) offset + pageSize);
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
          : self + "?page_token=" + encodeToken("segments", offset) + filters);
      if (end < matching.size()) {
        meta.put("next", self + "?page_token=" + encodeToken("segments", end) + filters);
      }
    }
    return Reply.json(200, body);
  }

  private Reply segment(Call call, boolean v2) {
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
      s.contactIds.stream().map(store.byId::get).filter(c -> c != null).limit(SAMPLE_SIZE).forEach(c -> {
        ObjectNode x = sample.addObject();
        x.put("contact_id", c.id());
        x.put("primary_email", c.email());
        x.put("first_name", c.get(Store.Reserved.FIRST_NAME) == null ? "" : c.get(Store.Reserved.FIRST_NAME));
        x.put("last_name", c.get(Store.Reserved.LAST_NAME) == null ? "" : c.get(Store.Reserved.LAST_NAME));
      });
    }
    return n;
  }
}
