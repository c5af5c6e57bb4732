package dev.junction.plugins.sendgrid;

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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One run of {@link SendGridCohortSync}: the state of a single call, never shared. */
final class CohortRun {

    /** {@code first_name} and {@code last_name} {@code maxLength} in SendGrid's ContactRequest schema. */
    static final int MAX_NAME_LENGTH = 50;
    /** Per attempt: a 6 MB upload on a slow link. */
    private static final Duration UPSERT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** SendGrid names a refused contact in a 400 as {@code contacts[i]...}. */
    private static final Pattern CONTACT_FIELD = Pattern.compile("^contacts\\[(\\d+)]");

    private final ConnectorContext ctx;
    private final CohortSyncRun run;
    private final SendGridApi api;
    private final SyncList list;
    private final ContactSearch search;
    private final ImportJobs jobs;
    private long accepted;
    private long rejected;
    private long removed;

    CohortRun(ConnectorContext ctx, CohortSyncRun run, Pause pause) {
        this.ctx = ctx;
        this.run = run;
        this.api = new SendGridApi(ctx);
        this.list = new SyncList(ctx, api, run.settings());
        this.search = new ContactSearch(ctx, api);
        this.jobs = new ImportJobs(ctx, api, run, pause);
    }

    void execute() throws ConnectorException {
        list.ensure();
        // Ask for as many members as one request may carry; a batch that is too large in bytes is
        // split below.
        run.forEachAddition(UpsertBody.MAX_CONTACTS, this::add);
        run.forEachRemoval(ContactSearch.MAX_EMAILS, this::remove);
        ctx.log().record(EventLog.Level.INFO, "cohort sync finished", "Synced the SendGrid list \""
                + run.settings().listName() + "\": " + contacts(accepted) + " added or updated, " + rejected
                + " rejected, " + removed + " removed.", Map.of("list_id", list.id(), "accepted", accepted, "rejected", rejected,
                "removed", removed));
    }

    // ------------------------------------------------------------------ additions

    private void add(List<CohortMember> batch) throws ConnectorException {
        List<UpsertBody.Contact> pending = new ArrayList<>(batch.size());
        for (CohortMember member : batch) {
            if (member.email().length() > ContactSearch.MAX_EMAIL_LENGTH) {
                reject(member.email(), "SendGrid looks contacts up by e-mails of at most " + ContactSearch.MAX_EMAIL_LENGTH
                        + " characters, so this contact could not be removed from the list later; it is not added.");
            } else {
                pending.add(new UpsertBody.Contact(member.email(), ctx.json().write(contact(member))));
            }
        }
        boolean recovered = false;
        while (!pending.isEmpty()) {
            UpsertBody request = UpsertBody.first(ctx.json(), list.id(), pending);
            HttpResult r = api.send(SendGridApi.patient(HttpCall.put(api.uri("/v3/marketing/contacts")), UPSERT_TIMEOUT)
                    .json(request.body()));
            if (r.isSuccess()) {
                settle(request, submitted(r, request));
                pending = pending.subList(request.size(), pending.size());
            } else if (api.listRefused(r) && !recovered) {
                list.recover();  // deleted in SendGrid during the run
                recovered = true;
            } else {
                pending = withoutRefusedContacts(r, request, pending);
            }
        }
    }

    /** The contact as SendGrid takes it: blank names are left out (so they stay unset), long ones cut. */
    private static Map<String, Object> contact(CohortMember member) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("email", member.email());
        putName(c, "first_name", member.firstName());
        putName(c, "last_name", member.lastName());
        return c;
    }

    /** Puts a name as SendGrid takes it: blank names are left out, long ones cut (also for event delivery). */
    static void putName(Map<String, Object> contact, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String name = value.strip();
        if (name.length() > MAX_NAME_LENGTH) {
            // SendGrid refuses the whole request over one long name: keep the first 50 UTF-16 units
            // (so also at most 50 code points), never half a surrogate pair.
            int end = Character.isHighSurrogate(name.charAt(MAX_NAME_LENGTH - 1)) ? MAX_NAME_LENGTH - 1 : MAX_NAME_LENGTH;
            name = name.substring(0, end);
        }
        contact.put(field, name);
    }

    /**
     * A 400 that names contacts ({@code contacts[3].email}) refuses those: they are rejected and the
     * rest is sent again. Any other refusal of the request as a whole ends the run.
     */
    private List<UpsertBody.Contact> withoutRefusedContacts(HttpResult r, UpsertBody request,
                                                            List<UpsertBody.Contact> pending) throws ConnectorException {
        Map<Integer, String> refused = new TreeMap<>();
        if (r.status() == 400) {
            for (Map<?, ?> error : api.errors(r)) {
                Matcher m = CONTACT_FIELD.matcher(error.get("field") instanceof String f ? f : "");
                if (m.find() && m.group(1).length() < 6 && Integer.parseInt(m.group(1)) < request.size()) {
                    refused.merge(Integer.parseInt(m.group(1)), String.valueOf(error.get("message")), (a, b) -> a + "; " + b);
                }
            }
        }
        if (refused.isEmpty()) {
            throw new PermanentConnectorException("upsert_refused", "SendGrid refused a request adding "
                    + request.size() + " contacts to the list (" + r.status() + ": " + api.errorMessage(r) + ").");
        }
        List<UpsertBody.Contact> rest = new ArrayList<>(pending.size());
        for (int i = 0; i < request.size(); i++) {
            UpsertBody.Contact c = request.contacts().get(i);
            if (refused.containsKey(i)) {
                reject(c.email(), "SendGrid refused the contact: " + refused.get(i));
            } else {
                rest.add(c);
            }
        }
        rest.addAll(pending.subList(request.size(), pending.size()));
        return rest;
    }

    private ImportJobs.Outcome submitted(HttpResult r, UpsertBody request) throws ConnectorException {
        if (!(api.object("PUT /v3/marketing/contacts", r).get("job_id") instanceof String jobId) || jobId.isBlank()) {
            throw new PermanentConnectorException("unexpected_response", "SendGrid accepted contacts but named no job_id");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("job_type", "upsert");
        details.put("list_id", list.id());
        details.put("contacts", request.size());
        details.put("request_bytes", request.body().length);
        run.vendorJob(jobId, VendorJobState.QUEUED, details);
        ctx.log().record(EventLog.Level.INFO, "contacts submitted", "Sent " + contacts(request.size()) + " to SendGrid "
                + "for the list \"" + run.settings().listName() + "\"; waiting for import job " + jobId + ".",
                Map.of("job_id", jobId, "contacts", request.size(), "request_bytes", request.body().length));
        return jobs.await(jobId, details);
    }

    /**
     * Reports every contact of a finished job. {@code completed}: all accepted. {@code errored}: the
     * contacts in the job's errors are rejected with SendGrid's message, the others accepted.
     * {@code failed} ("finished with all errors, or the job was entirely unprocessable"): nothing is
     * accepted; every contact is rejected, with its own message when the errors say one, so that
     * the tenant sees why and the platform retries them next run.
     */
    private void settle(UpsertBody request, ImportJobs.Outcome job) throws ConnectorException {
        List<String> emails = request.emails();
        Map<String, String> errors = job.status().equals("completed") ? Map.of() : jobs.errors(job, emails);
        if (errors == null && job.status().equals("errored")) {
            ctx.log().record(EventLog.Level.INFO, "import errors unavailable", "The errors of SendGrid import job "
                    + job.jobId() + " could not be read; checking which contacts are in the list instead.",
                    Map.of("job_id", job.jobId()));
            errors = notInList(emails, job.jobId());
        }
        List<String> ok = new ArrayList<>(emails.size());
        for (String email : emails) {
            String reason = errors == null ? null : errors.get(email);
            if (reason != null) {
                reject(email, "SendGrid refused the contact: " + reason);
            } else if (job.status().equals("failed")) {
                reject(email, "SendGrid's import job " + job.jobId() + " failed" + (errors == null
                        ? " and its errors could not be read." : " as a whole."));
            } else {
                ok.add(email);
            }
        }
        run.accepted(ok);
        accepted += ok.size();
        ctx.log().record(job.status().equals("completed") ? EventLog.Level.INFO : EventLog.Level.WARNING,
                "import finished", "SendGrid import job " + job.jobId() + " ended " + job.status() + ": "
                        + contacts(ok.size()) + " added or updated, " + (emails.size() - ok.size()) + " refused.",
                Map.of("job_id", job.jobId(), "status", job.status(), "accepted", ok.size(),
                        "rejected", emails.size() - ok.size()));
    }

    /**
     * When a job's errors cannot be read (SendGrid's errors file lives on a pre-signed host outside
     * the allowed hosts), the contacts are looked up: one that is not in the list afterwards was not
     * imported. SendGrid's search may lag behind a job that just finished; a contact wrongly
     * reported this way is only sent again next run, which is harmless.
     */
    private Map<String, String> notInList(List<String> emails, String jobId) throws ConnectorException {
        Map<String, String> out = new LinkedHashMap<>();
        for (int from = 0; from < emails.size(); from += ContactSearch.MAX_EMAILS) {
            List<String> chunk = emails.subList(from, Math.min(emails.size(), from + ContactSearch.MAX_EMAILS));
            ContactSearch.Result found = search.find(chunk);
            for (String email : chunk) {
                ContactSearch.Contact c = found.found().get(email);
                if (found.invalid().containsKey(email)) {
                    out.put(email, found.invalid().get(email));
                } else if (c == null || !c.listIds().contains(list.id())) {
                    out.put(email, "not in the list after import job " + jobId + ", which ended with errors");
                }
            }
        }
        return out;
    }

    private static String contacts(long n) {
        return n + (n == 1 ? " contact" : " contacts");
    }

    private void reject(String email, String reason) {
        run.rejected(email, reason);
        rejected++;
    }

    // ------------------------------------------------------------------ removals

    private void remove(List<CohortMember> batch) throws ConnectorException {
        removeFromList(batch.stream().map(CohortMember::email).toList(), true);
    }

    /**
     * Removes the contacts with these e-mails (at most 100) from the list; the contacts stay in the
     * account. An e-mail that is not a contact, or a contact not in the list, counts as removed.
     */
    private void removeFromList(List<String> emails, boolean mayRetry) throws ConnectorException {
        // E-mails over 100 characters cannot be searched; this connector never adds them (see add).
        List<String> searchable = emails.stream().filter(e -> e.length() <= ContactSearch.MAX_EMAIL_LENGTH).toList();
        List<String> ids = search.find(searchable).found().values().stream()
                .filter(c -> c.listIds().contains(list.id())).map(ContactSearch.Contact::id).distinct().toList();
        if (!ids.isEmpty()) {
            String query = ids.stream().map(SendGridApi::encode).collect(Collectors.joining(","));
            HttpResult r = api.send(SendGridApi.patient(HttpCall.delete(api.uri("/v3/marketing/lists/"
                    + SendGridApi.encode(list.id()) + "/contacts?contact_ids=" + query)), TIMEOUT));
            if (r.status() == 404 && list.exists()) {
                // "one or more contact IDs do not exist": deleted from the account meanwhile
                if (mayRetry) {
                    removeFromList(emails, false);
                } else {
                    ctx.log().record(EventLog.Level.WARNING, "members not removed", "SendGrid did not find some of "
                            + emails.size() + " contacts to remove from the list; they are tried again next run.",
                            Map.of("list_id", list.id()));
                }
                return;
            }
            if (r.status() != 404) {  // a 404 for a list deleted meanwhile: nothing is in it any more
                if (!r.isSuccess()) {
                    throw api.unexpected("DELETE /v3/marketing/lists/{id}/contacts", r);
                }
                String jobId = api.object("DELETE /v3/marketing/lists/{id}/contacts", r).get("job_id") instanceof String j
                        ? j : "list-removal";
                // SendGrid offers no status for this job: "The removal is accepted and processing."
                run.vendorJob(jobId, VendorJobState.PROCESSING, Map.of("job_type", "list_removal", "list_id", list.id(),
                        "contacts", ids.size()));
            }
        }
        run.removed(emails);
        removed += emails.size();
    }
}
