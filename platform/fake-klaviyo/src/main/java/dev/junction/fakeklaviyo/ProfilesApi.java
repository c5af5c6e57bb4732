package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.fakeklaviyo.Call.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Profiles: reads, create-or-update, bulk import jobs with their errors, and the subscription bulk job. */
final class ProfilesApi {
    /** "Accepts up to 10,000 profiles per request." */
    static final int MAX_IMPORT_PROFILES = 10_000;
    /** "Maximum number of profiles can be submitted for subscription: 1000". */
    static final int MAX_SUBSCRIBE_PROFILES = 1000;
    static final String IMPORT_JOB = "profile-bulk-import-job";
    static final String SUBSCRIBE_JOB = "profile-subscription-bulk-create-job";

    private final Profiles profiles;
    private final Account account;
    private final Jobs jobs;
    private final Render render;

    ProfilesApi(Profiles profiles, Account account, Jobs jobs, Render render) {
        this.profiles = profiles;
        this.account = account;
        this.jobs = jobs;
        this.render = render;
    }

    Reply handle(Call call) {
        return switch (call.operationId()) {
            case "get_profiles" -> getProfiles(call);
            case "get_profile" -> new Reply(200, call.single(render.profile(profile(call.pathParam("id")))));
            case "create_or_update_profile" -> upsert(call);
            case "bulk_import_profiles" -> bulkImport(call);
            case "get_bulk_import_profiles_jobs" -> new Reply(200, call.page(jobMap(IMPORT_JOB), j -> true,
                    j -> render.job(j, call.now())));
            case "get_bulk_import_profiles_job" -> new Reply(200, call.single(
                    render.job(jobs.get(IMPORT_JOB, call.pathParam("job_id")), call.now())));
            case "get_errors_for_bulk_import_profiles_job" -> importErrors(call);
            case "bulk_subscribe_profiles" -> subscribe(call);
            default -> null;
        };
    }

    private Profiles.Profile profile(String id) {
        Profiles.Profile p = profiles.get(id);
        if (p == null) {
            throw ApiException.notFound("A profile with id " + id + " does not exist.");
        }
        return p;
    }

    private Reply getProfiles(Call call) {
        List<String> emails = call.filterValues("email");
        List<String> ids = call.filterValues("id");
        List<String> externalIds = call.filterValues("external_id");
        return new Reply(200, call.page(profiles.byId,
                p -> (emails == null || (p.email != null && emails.stream().anyMatch(p.email::equalsIgnoreCase)))
                        && (ids == null || ids.contains(p.id))
                        && (externalIds == null || externalIds.contains(p.externalId)),
                render::profile));
    }

    private Reply upsert(Call call) {
        JsonNode data = call.body().path("data");
        String id = data.path("id").isTextual() ? data.path("id").asText() : null;
        Profiles.checkIdentifiers(id, data.path("attributes"), "/data/attributes");
        Profiles.Upsert result = profiles.upsert(id, data.path("attributes"), data.path("meta"), call.now());
        return new Reply(result.created() ? 201 : 200, call.single(render.profile(result.profile())));
    }

    private Reply bulkImport(Call call) {
        JsonNode data = call.body().path("data");
        JsonNode items = data.path("attributes").path("profiles").path("data");
        if (items.size() > MAX_IMPORT_PROFILES) {
            throw ApiException.invalid("A job accepts up to " + MAX_IMPORT_PROFILES + " profiles; got "
                    + items.size() + ".", "/data/attributes/profiles/data");
        }
        if (items.isEmpty()) {
            throw ApiException.invalid("At least one profile is required.", "/data/attributes/profiles/data");
        }
        List<String> listIds = new ArrayList<>();
        JsonNode lists = data.path("relationships").path("lists").path("data");
        for (int i = 0; i < lists.size(); i++) {
            String listId = lists.get(i).path("id").asText();
            account.list(listId);
            listIds.add(listId);
        }
        List<Jobs.ItemError> errors = new ArrayList<>();
        List<JsonNode> valid = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String base = "/data/attributes/profiles/data/" + i + "/attributes";
            try {
                String id = item.path("id").isTextual() ? item.path("id").asText() : null;
                Profiles.checkIdentifiers(id, item.path("attributes"), base);
                if (id != null && profiles.get(id) == null) {
                    throw ApiException.invalid("A profile with id " + id + " does not exist.",
                            "/data/attributes/profiles/data/" + i + "/id");
                }
                valid.add(item);
            } catch (ApiException e) {
                JsonApi.ApiError err = e.errors.get(0);
                errors.add(new Jobs.ItemError(UUID.randomUUID().toString(), i, err.code(), err.title(),
                        err.detail(), err.pointer(), item.path("attributes").deepCopy()));
            }
        }
        Jobs.Job job = jobs.submit(IMPORT_JOB, items.size(), errors, listIds, j -> apply(j, valid));
        return new Reply(202, call.single(render.job(job, call.now())));
    }

    /** Applies an import at the job's end; a profile that fails then (e.g. a conflict) is skipped. */
    private void apply(Jobs.Job job, List<JsonNode> items) {
        java.time.Instant now = java.time.Instant.now();
        List<String> ids = new ArrayList<>();
        for (JsonNode item : items) {
            try {
                String id = item.path("id").isTextual() ? item.path("id").asText() : null;
                ids.add(profiles.upsert(id, item.path("attributes"), item.path("meta"), now).profile().id);
            } catch (ApiException e) {
                // G6: a conflict found only while applying is dropped silently, as the job already answered.
            }
        }
        job.profileIds.addAll(ids);
        for (String listId : job.listIds) {
            try {
                account.addMembers(listId, ids, now);
            } catch (ApiException e) {
                // The list was deleted while the job ran: nothing to add to.
            }
        }
    }

    private java.util.NavigableMap<String, Jobs.Job> jobMap(String type) {
        java.util.NavigableMap<String, Jobs.Job> map = new java.util.TreeMap<>();
        jobs.all(type).forEach(j -> map.put(j.id, j));
        return map;
    }

    private Reply importErrors(Call call) {
        Jobs.Job job = jobs.get(IMPORT_JOB, call.pathParam("id"));
        java.util.NavigableMap<String, Jobs.ItemError> map = new java.util.TreeMap<>();
        if (job.applied) {
            job.errors.forEach(e -> map.put(String.format("%08d", e.index()), e));
        }
        return new Reply(200, call.page(map, e -> true, render::importError));
    }

    /**
     * Subscription bulk job: records e-mail marketing consent (G7: {@code SUBSCRIBED} with the given or current
     * time; the list relationship, when given, also adds the profiles to that list, single opt-in).
     */
    private Reply subscribe(Call call) {
        JsonNode data = call.body().path("data");
        JsonNode items = data.path("attributes").path("profiles").path("data");
        if (items.size() > MAX_SUBSCRIBE_PROFILES) {
            throw ApiException.invalid("At most " + MAX_SUBSCRIBE_PROFILES + " profiles may be subscribed per job; got "
                    + items.size() + ".", "/data/attributes/profiles/data");
        }
        String listId = data.path("relationships").path("list").path("data").path("id").asText(null);
        if (listId != null) {
            account.list(listId);
        }
        List<JsonNode> valid = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode attributes = items.get(i).path("attributes");
            String base = "/data/attributes/profiles/data/" + i + "/attributes";
            Profiles.checkIdentifiers(null, attributes, base);
            String consent = attributes.path("subscriptions").path("email").path("marketing").path("consent").asText();
            if (!attributes.path("subscriptions").path("email").isMissingNode() && !consent.equals("SUBSCRIBED")) {
                throw ApiException.invalid("Email marketing consent must be SUBSCRIBED.",
                        base + "/subscriptions/email/marketing/consent");
            }
            valid.add(attributes);
        }
        List<String> lists = listId == null ? List.of() : List.of(listId);
        jobs.submit(SUBSCRIBE_JOB, items.size(), List.of(), lists, job -> {
            java.time.Instant now = java.time.Instant.now();
            List<String> ids = new ArrayList<>();
            for (JsonNode attributes : valid) {
                ObjectNode identity = JsonApi.object();
                for (String key : List.of("email", "phone_number")) {
                    if (attributes.hasNonNull(key)) {
                        identity.put(key, attributes.get(key).asText());
                    }
                }
                Profiles.Profile p = profiles.upsert(null, identity, null, now).profile();
                JsonNode marketing = attributes.path("subscriptions").path("email").path("marketing");
                if (!marketing.isMissingNode()) {
                    String at = marketing.path("consented_at").asText(null);
                    profiles.consent(p, "SUBSCRIBED", at == null ? now : java.time.OffsetDateTime.parse(at).toInstant());
                }
                ids.add(p.id);
            }
            job.profileIds.addAll(ids);
            if (listId != null) {
                account.addMembers(listId, ids, now);
            }
        });
        return new Reply(202, null);
    }
}
