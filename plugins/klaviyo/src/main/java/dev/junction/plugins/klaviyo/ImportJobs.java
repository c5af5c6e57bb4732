package dev.junction.plugins.klaviyo;

import dev.junction.spi.Pause;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.VendorJobState;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Klaviyo's profile bulk import jobs ({@code /api/profile-bulk-import-jobs}): submits one, follows
 * it with {@code GET .../{job_id}} until {@code complete} or {@code cancelled} (the spec's final
 * states), reporting each state to the run, and reads its per-profile errors
 * ({@code GET .../{id}/import-errors}, cursor pages of 100, the spec's maximum).
 */
final class ImportJobs {

    static final Set<String> FINAL_STATES = Set.of("complete", "cancelled");
    static final Duration FIRST_POLL = Duration.ofMillis(500);
    /** The longest pause between polls (kept under the platform's 2 s deadline margin, as SendGrid's). */
    static final Duration MAX_POLL = Duration.ofMillis(1500);
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    /** An error's pointer into the request: {@code /data/attributes/profiles/data/<i>/...}. */
    static final Pattern POINTER = Pattern.compile("^/data/attributes/profiles/data/(\\d{1,5})(?:/|$)");

    /** How a job ended. */
    record Outcome(String jobId, String status) { }

    private final KlaviyoApi api;
    private final CohortSyncRun run;
    private final Pause pause;

    ImportJobs(KlaviyoApi api, CohortSyncRun run, Pause pause) {
        this.api = api;
        this.run = run;
        this.pause = pause;
    }

    /** Klaviyo's bulk job status as a job state. */
    static VendorJobState state(String status) {
        return switch (status) {
            case "queued" -> VendorJobState.QUEUED;
            case "complete" -> VendorJobState.COMPLETED;
            case "cancelled" -> VendorJobState.CANCELLED;
            default -> VendorJobState.PROCESSING;
        };
    }

    /** Waits for the job to end, backing off from {@link #FIRST_POLL} to {@link #MAX_POLL}, at most {@link #MAX_WAIT}. */
    Outcome await(String jobId, Map<String, Object> details) throws ConnectorException {
        String last = "queued";
        Duration next = FIRST_POLL;
        Duration waited = Duration.ZERO;
        while (true) {
            pause.await(next, "Klaviyo");
            waited = waited.plus(next);
            next = next.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : next.multipliedBy(2);
            String what = "GET /api/profile-bulk-import-jobs/{job_id}";
            HttpResult r = api.send(KlaviyoApi.patient(HttpCall.get(api.uri("/api/profile-bulk-import-jobs/"
                    + KlaviyoApi.encode(jobId)))), what);
            if (!r.isSuccess()) {
                throw api.unexpected(what, r);
            }
            Map<String, Object> attributes = new LinkedHashMap<>();
            if (api.document(what, r).get("data") instanceof Map<?, ?> data && data.get("attributes") instanceof Map<?, ?> a) {
                a.forEach((k, v) -> attributes.put(String.valueOf(k), v));
            }
            String status = attributes.get("status") instanceof String s ? s : "queued";
            if (!status.equals(last)) {
                Map<String, Object> reported = new LinkedHashMap<>(details);
                for (String k : List.of("total_count", "completed_count", "failed_count")) {
                    if (attributes.get(k) != null) {
                        reported.put(k, attributes.get(k));
                    }
                }
                reported.put("vendor_status", status);
                run.vendorJob(jobId, state(status), reported);
                last = status;
            }
            if (FINAL_STATES.contains(status)) {
                return new Outcome(jobId, status);
            }
            if (waited.compareTo(MAX_WAIT) >= 0) {
                throw new RetriableConnectorException("import_pending", "Klaviyo had not finished import job " + jobId
                        + " after " + MAX_WAIT.toMinutes() + " minutes; the run is retried later (importing again is safe).");
            }
        }
    }

    /**
     * The job's per-profile errors, as request index to Klaviyo's detail. The index comes from the
     * error's {@code source.pointer}; an error whose pointer names no profile of the request is
     * matched by the {@code email} of its {@code original_payload}.
     */
    Map<Integer, String> errors(String jobId, List<String> emails) throws ConnectorException {
        Map<Integer, String> out = new LinkedHashMap<>();
        String what = "GET /api/profile-bulk-import-jobs/{id}/import-errors";
        String next = "/api/profile-bulk-import-jobs/" + KlaviyoApi.encode(jobId) + "/import-errors?page%5Bsize%5D=100";
        for (int page = 0; next != null && page <= emails.size() / 100 + 1; page++) {
            HttpResult r = api.send(KlaviyoApi.patient(HttpCall.get(api.uri(next))), what);
            if (!r.isSuccess()) {
                throw api.unexpected(what, r);
            }
            Map<?, ?> doc = api.document(what, r);
            if (doc.get("data") instanceof List<?> errors) {
                for (Object e : errors) {
                    if (e instanceof Map<?, ?> error && error.get("attributes") instanceof Map<?, ?> a) {
                        Integer index = index(a, emails);
                        if (index != null) {
                            String detail = a.get("detail") != null ? String.valueOf(a.get("detail"))
                                    : String.valueOf(a.get("title"));
                            out.merge(index, detail, (x, y) -> x + "; " + y);
                        }
                    }
                }
            }
            next = Pages.next(doc);
        }
        return out;
    }

    private static Integer index(Map<?, ?> attributes, List<String> emails) {
        if (attributes.get("source") instanceof Map<?, ?> source && source.get("pointer") instanceof String pointer) {
            Matcher m = POINTER.matcher(pointer);
            if (m.find() && Integer.parseInt(m.group(1)) < emails.size()) {
                return Integer.parseInt(m.group(1));
            }
        }
        if (attributes.get("original_payload") instanceof Map<?, ?> payload && payload.get("email") instanceof String email) {
            int i = emails.indexOf(email.strip().toLowerCase(java.util.Locale.ROOT));
            return i < 0 ? null : i;
        }
        return null;
    }
}
