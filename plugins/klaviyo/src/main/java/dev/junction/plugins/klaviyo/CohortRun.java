package dev.junction.plugins.klaviyo;

import dev.junction.spi.Pause;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.cohort.CohortMember;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.VendorJobState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * One run of {@link KlaviyoCohortSync}, never shared.
 *
 * <p>Additions go to Klaviyo in profile bulk import jobs (at most 10,000 profiles and 5 MB each, the
 * limits the spec states), with the list as the job's {@code lists} relationship; each job is
 * followed to its end and its per-profile errors are reported as rejections. The profile ids of the
 * accepted members are then looked up by e-mail and kept in the sync's state, so that removals
 * ({@code DELETE /api/lists/{id}/relationships/profiles}, at most 1,000 per call) take out exactly
 * the profiles this sync added, and never a profile it did not add. Adding to a list leaves consent
 * as it is; with {@code subscribe_members}, the job creates the profiles without the list and
 * Klaviyo's subscription job subscribes them to e-mail marketing and adds them to the list.
 */
final class CohortRun {

    static final int MAX_JOB_PROFILES = 10_000;
    /** "5MB" read as 5,000,000 bytes, less room for the document around the profiles. */
    static final int MAX_JOB_BYTES = 5_000_000 - 2_000;
    static final int MAX_REMOVE = 1_000;
    static final int MAX_SUBSCRIBE = 1_000;
    /** {@code page[size]} maximum of GET /api/profiles, and so the e-mails looked up per call. */
    static final int LOOKUP = 100;

    private final ConnectorContext ctx;
    private final CohortSyncRun run;
    private final KlaviyoApi api;
    private final SyncState state;
    private final KlaviyoList list;
    private final ImportJobs jobs;
    private final boolean subscribe;
    private long accepted;
    private long rejected;
    private long removed;

    CohortRun(ConnectorContext ctx, CohortSyncRun run, Pause pause) {
        this.ctx = ctx;
        this.run = run;
        this.api = new KlaviyoApi(ctx);
        this.state = new SyncState(run.state());
        this.list = new KlaviyoList(api, state, run.settings().listName());
        this.jobs = new ImportJobs(api, run, pause);
        this.subscribe = ctx.config().bool("subscribe_members", false);
    }

    void execute() throws ConnectorException {
        list.ensure();
        run.forEachAddition(MAX_JOB_PROFILES, this::add);
        run.forEachRemoval(MAX_REMOVE, this::remove);
        ctx.log().record(EventLog.Level.INFO, "cohort sync finished", "Synced the Klaviyo list \""
                + run.settings().listName() + "\": " + accepted + (subscribe ? " added and subscribed, " : " added or updated, ")
                + rejected + " rejected, " + removed + " removed.", Map.of("list_id", list.id(), "accepted", accepted,
                "rejected", rejected, "removed", removed));
    }

    // ------------------------------------------------------------------ additions

    private record Profile(String email, byte[] json) { }

    private void add(List<CohortMember> batch) throws ConnectorException {
        List<Profile> chunk = new ArrayList<>();
        long bytes = 0;
        for (CohortMember member : batch) {
            Profile p = new Profile(member.email(), ctx.json().write(profile(member)));
            if (!chunk.isEmpty() && bytes + p.json().length + 1 > MAX_JOB_BYTES) {
                importChunk(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(p);
            bytes += p.json().length + 1;
        }
        if (!chunk.isEmpty()) {
            importChunk(chunk);
        }
    }

    private static Map<String, Object> profile(CohortMember member) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("email", member.email());
        if (member.firstName() != null && !member.firstName().isBlank()) {
            attributes.put("first_name", member.firstName().strip());
        }
        if (member.lastName() != null && !member.lastName().isBlank()) {
            attributes.put("last_name", member.lastName().strip());
        }
        return Map.of("type", "profile", "attributes", attributes);
    }

    private void importChunk(List<Profile> chunk) throws ConnectorException {
        boolean recovered = false;
        List<Profile> pending = chunk;
        while (!pending.isEmpty()) {
            HttpResult r = api.send(KlaviyoApi.patient(HttpCall.post(api.uri("/api/profile-bulk-import-jobs")))
                    .idempotent(true)  // create-or-update by e-mail: a repeated job changes nothing more
                    .body(importBody(pending), KlaviyoApi.JSON_API), "POST /api/profile-bulk-import-jobs");
            if (r.status() == 202 || r.isSuccess()) {
                settle(pending, r);
                return;
            }
            if (r.status() == 404 && !recovered) {
                list.recover();  // deleted in Klaviyo during the run
                recovered = true;
            } else {
                pending = withoutRefused(r, pending);
            }
        }
    }

    private byte[] importBody(List<Profile> profiles) {
        // The profiles are written once and spliced in, so that the 5 MB check above is exact.
        StringBuilder data = new StringBuilder(profiles.size() * 120);
        for (Profile p : profiles) {
            data.append(data.length() == 0 ? "" : ",").append(new String(p.json(), java.nio.charset.StandardCharsets.UTF_8));
        }
        String relationships = subscribe ? "" : ",\"relationships\":{\"lists\":{\"data\":[{\"type\":\"list\",\"id\":"
                + ctx.json().writeString(list.id()) + "}]}}";
        return ("{\"data\":{\"type\":\"profile-bulk-import-job\",\"attributes\":{\"profiles\":{\"data\":[" + data
                + "]}}" + relationships + "}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A 400 naming profiles of the request rejects those and the rest is sent again; any other refusal ends the run. */
    private List<Profile> withoutRefused(HttpResult r, List<Profile> pending) throws ConnectorException {
        Map<Integer, String> refused = new TreeMap<>();
        if (r.status() == 400) {
            for (Map<?, ?> e : api.errors(r)) {
                String pointer = e.get("source") instanceof Map<?, ?> s && s.get("pointer") instanceof String p ? p : "";
                Matcher m = ImportJobs.POINTER.matcher(pointer);
                if (m.find() && Integer.parseInt(m.group(1)) < pending.size()) {
                    refused.merge(Integer.parseInt(m.group(1)), String.valueOf(e.get("detail")), (a, b) -> a + "; " + b);
                }
            }
        }
        if (refused.isEmpty()) {
            throw api.unexpected("POST /api/profile-bulk-import-jobs with " + pending.size() + " profiles", r);
        }
        List<Profile> rest = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (refused.containsKey(i)) {
                reject(pending.get(i).email(), "Klaviyo refused the profile: " + refused.get(i));
            } else {
                rest.add(pending.get(i));
            }
        }
        return rest;
    }

    private void settle(List<Profile> sent, HttpResult submitted) throws ConnectorException {
        String what = "POST /api/profile-bulk-import-jobs";
        if (!(api.document(what, submitted).get("data") instanceof Map<?, ?> data) || !(data.get("id") instanceof String jobId)) {
            throw new PermanentConnectorException("unexpected_response", "Klaviyo accepted an import job but named no id");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("job_type", "profile_bulk_import");
        details.put("list_id", list.id());
        details.put("profiles", sent.size());
        run.vendorJob(jobId, VendorJobState.QUEUED, details);
        ImportJobs.Outcome outcome = jobs.await(jobId, details);
        List<String> emails = sent.stream().map(Profile::email).toList();
        if (outcome.status().equals("cancelled")) {
            emails.forEach(e -> reject(e, "Klaviyo's import job " + jobId + " was cancelled; the member is sent again next run."));
            return;
        }
        Map<Integer, String> errors = jobs.errors(jobId, emails);
        List<String> ok = new ArrayList<>();
        for (int i = 0; i < emails.size(); i++) {
            if (errors.containsKey(i)) {
                reject(emails.get(i), "Klaviyo refused the profile: " + errors.get(i));
            } else {
                ok.add(emails.get(i));
            }
        }
        Map<String, String> ids = profileIds(ok);
        List<String> done = new ArrayList<>();
        for (String email : ok) {
            String id = ids.get(email);
            if (id == null) {
                reject(email, "Klaviyo's import job " + jobId + " completed, but no profile with this e-mail was found "
                        + "afterwards; it is sent again next run.");
            } else {
                done.add(email);
            }
        }
        if (subscribe) {
            subscribeMembers(done);
        }
        for (String email : done) {
            state.added(email, ids.get(email));  // before reporting: a reported member can always be removed
        }
        run.accepted(done);
        accepted += done.size();
    }

    /** E-mail (lower-cased) to profile id, by {@code GET /api/profiles?filter=any(email,[...])}. */
    private Map<String, String> profileIds(List<String> emails) throws ConnectorException {
        Map<String, String> out = new HashMap<>();
        String what = "GET /api/profiles";
        for (int from = 0; from < emails.size(); from += LOOKUP) {
            List<String> chunk = emails.subList(from, Math.min(emails.size(), from + LOOKUP));
            String filter = "any(email," + ctx.json().writeString(chunk) + ")";
            HttpResult r = api.send(KlaviyoApi.patient(HttpCall.get(api.uri("/api/profiles?filter=" + KlaviyoApi.encode(filter)
                    + "&fields%5Bprofile%5D=email&page%5Bsize%5D=" + LOOKUP))), what);
            if (!r.isSuccess()) {
                throw api.unexpected(what, r);
            }
            if (api.document(what, r).get("data") instanceof List<?> profiles) {
                for (Object o : profiles) {
                    if (o instanceof Map<?, ?> p && p.get("id") instanceof String id && p.get("attributes") instanceof Map<?, ?> a
                            && a.get("email") instanceof String email) {
                        out.put(email.strip().toLowerCase(Locale.ROOT), id);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Subscribes the members to e-mail marketing and adds them to the list, in subscription jobs of at
     * most 1,000 profiles. Klaviyo answers 202 without a job to follow, so the job is reported as
     * submitted; what it did shows in the profiles' consent.
     */
    private void subscribeMembers(List<String> emails) throws ConnectorException {
        String what = "POST /api/profile-subscription-bulk-create-jobs";
        for (int from = 0; from < emails.size(); from += MAX_SUBSCRIBE) {
            List<String> chunk = emails.subList(from, Math.min(emails.size(), from + MAX_SUBSCRIBE));
            List<Object> profiles = new ArrayList<>(chunk.size());
            for (String email : chunk) {
                profiles.add(Map.of("type", "profile", "attributes", Map.of("email", email, "subscriptions",
                        Map.of("email", Map.of("marketing", Map.of("consent", "SUBSCRIBED"))))));
            }
            Map<String, Object> body = Map.of("data", Map.of("type", "profile-subscription-bulk-create-job",
                    "attributes", Map.of("profiles", Map.of("data", profiles)),
                    "relationships", Map.of("list", Map.of("data", Map.of("type", "list", "id", list.id())))));
            HttpResult r = api.send(KlaviyoApi.patient(api.withBody(HttpCall.post(api.uri("/api/profile-subscription-bulk-create-jobs")), body))
                    .idempotent(true), what);  // subscribing twice leaves the same consent
            if (!r.isSuccess()) {
                throw api.unexpected(what, r);
            }
            run.vendorJob("subscription-" + list.id() + "-" + from, VendorJobState.QUEUED, Map.of("job_type", "profile_subscription",
                    "list_id", list.id(), "profiles", chunk.size()));
        }
    }

    private void reject(String email, String reason) {
        run.rejected(email, reason);
        rejected++;
    }

    // ------------------------------------------------------------------ removals

    /** Removes the profiles this sync added for these e-mails; e-mails it did not add are only reported removed. */
    private void remove(List<CohortMember> batch) throws ConnectorException {
        List<String> emails = batch.stream().map(CohortMember::email).toList();
        List<Object> refs = new ArrayList<>();
        for (String email : emails) {
            state.profileId(email).ifPresent(id -> refs.add(Map.of("type", "profile", "id", id)));
        }
        if (!refs.isEmpty()) {
            String what = "DELETE /api/lists/{id}/relationships/profiles";
            HttpResult r = api.send(KlaviyoApi.patient(api.withBody(HttpCall.delete(api.uri("/api/lists/"
                    + KlaviyoApi.encode(list.id()) + "/relationships/profiles")), Map.of("data", refs))), what);
            if (!r.isSuccess() && r.status() != 404) {  // 404: the list is gone, so nobody is in it
                throw api.unexpected(what, r);
            }
        }
        emails.forEach(state::removed);
        run.removed(emails);
        removed += emails.size();
    }
}
