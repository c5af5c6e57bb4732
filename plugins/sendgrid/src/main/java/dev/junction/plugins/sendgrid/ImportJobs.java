package dev.junction.plugins.sendgrid;

import dev.junction.spi.Pause;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.VendorJobState;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows SendGrid's asynchronous contact import jobs with
 * {@code GET /v3/marketing/contacts/imports/{id}} until they end ({@code completed}, {@code errored}
 * or {@code failed}), reporting each state change to the run, and reads a job's errors file.
 */
final class ImportJobs {

    static final Set<String> FINAL_STATES = Set.of("completed", "errored", "failed");
    static final Duration FIRST_POLL = Duration.ofMillis(500);
    /**
     * The longest pause between polls. A plugin cannot see its run's deadline, and the platform's
     * HTTP client stops a run that reaches it only when the next call starts, leaving a margin of at
     * most 2 s before the hard limit: a pause shorter than that margin cannot carry the run past it.
     */
    static final Duration MAX_POLL = Duration.ofMillis(1500);
    /** How long one job may stay unfinished before the run gives up (retriable; resending is safe). */
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** How a job ended: SendGrid's status and {@code results} (counts, {@code errors_url}). */
    record Outcome(String jobId, String status, Map<String, Object> results) {
        String errorsUrl() {
            return results.get("errors_url") instanceof String url && !url.isBlank() ? url : null;
        }
    }

    private final ConnectorContext ctx;
    private final SendGridApi api;
    private final CohortSyncRun run;
    private final Pause pause;

    ImportJobs(ConnectorContext ctx, SendGridApi api, CohortSyncRun run, Pause pause) {
        this.ctx = ctx;
        this.api = api;
        this.run = run;
        this.pause = pause;
    }

    /** SendGrid's import status as a job state: "errored" finished with per-contact errors, read as rejections. */
    static VendorJobState state(String status) {
        return switch (status) {
            case "completed", "errored" -> VendorJobState.COMPLETED;
            case "failed" -> VendorJobState.FAILED;
            default -> VendorJobState.PROCESSING;
        };
    }

    /**
     * Waits for the job to end, backing off from {@link #FIRST_POLL} to {@link #MAX_POLL}, at most
     * {@link #MAX_WAIT} in all. {@code details} (what the job is for) go with every state report.
     */
    Outcome await(String jobId, Map<String, Object> details) throws ConnectorException {
        String last = "pending";  // reported when the job was submitted
        Duration next = FIRST_POLL;
        Duration waited = Duration.ZERO;
        while (true) {
            pause.await(next, "SendGrid");
            waited = waited.plus(next);
            next = next.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : next.multipliedBy(2);
            HttpResult r = api.send(SendGridApi.patient(
                    HttpCall.get(api.uri("/v3/marketing/contacts/imports/" + SendGridApi.encode(jobId))), TIMEOUT));
            String status = "pending";
            Map<String, Object> results = new LinkedHashMap<>();
            if (r.isSuccess()) {
                Map<?, ?> job = api.object("GET /v3/marketing/contacts/imports/{id}", r);
                status = job.get("status") instanceof String s ? s.toLowerCase(Locale.ROOT) : "pending";
                if (job.get("results") instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> results.put(String.valueOf(k), v));
                }
            } else if (r.status() != 404) {  // 404: not visible yet right after the PUT; keep polling
                throw api.unexpected("GET /v3/marketing/contacts/imports/{id}", r);
            }
            if (!status.equals(last)) {
                Map<String, Object> reported = new LinkedHashMap<>(details);
                reported.putAll(results);
                reported.put("vendor_status", status);
                run.vendorJob(jobId, state(status), reported);
                last = status;
            }
            if (FINAL_STATES.contains(status)) {
                return new Outcome(jobId, status, results);
            }
            if (waited.compareTo(MAX_WAIT) >= 0) {
                throw new RetriableConnectorException("import_pending", "SendGrid had not finished import job " + jobId
                        + " after " + MAX_WAIT.toMinutes() + " minutes; the run is retried later (resending the "
                        + "contacts is safe).");
            }
        }
    }

    /**
     * Per-contact errors of a job, e-mail to SendGrid's message, from the file at the job's
     * {@code errors_url}; null when they cannot be read. SendGrid serves that file from a pre-signed
     * URL on another host: it is fetched without the API key (never send the key to another host),
     * its query (the signature) is masked in the event log, and a host outside the connector's
     * allowed hosts, an error answer or a format we do not know all mean "unavailable". SendGrid does
     * not document the file's format; the one read here is
     * {@code {"errors":[{"index":i,"email":e,"message":m}]}}, the index pointing into the request.
     */
    Map<String, String> errors(Outcome outcome, List<String> requested) {
        String url = outcome.errorsUrl();
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            HttpCall.Builder call = HttpCall.get(uri).timeout(TIMEOUT).maxAttempts(3).maxWait(Duration.ofMinutes(1));
            if (uri.getRawQuery() != null) {
                call.secret(uri.getRawQuery());
            }
            HttpResult r = ctx.http().send(call.build());
            if (!r.isSuccess() || !(ctx.json().parse(r.body()) instanceof Map<?, ?> file)
                    || !(file.get("errors") instanceof List<?> errors)) {
                return null;
            }
            Set<String> inRequest = new HashSet<>(requested);
            Map<String, String> out = new LinkedHashMap<>();
            for (Object e : errors) {
                if (!(e instanceof Map<?, ?> error)) {
                    continue;
                }
                String message = error.get("message") instanceof String m ? m : "refused by SendGrid";
                if (error.get("index") instanceof Number i && i.longValue() >= 0 && i.longValue() < requested.size()) {
                    out.put(requested.get(i.intValue()), message);
                } else if (error.get("email") instanceof String email
                        && inRequest.contains(email.strip().toLowerCase(Locale.ROOT))) {
                    out.put(email.strip().toLowerCase(Locale.ROOT), message);
                }
            }
            return out.isEmpty() ? null : out;  // errors we cannot place are no better than none
        } catch (ConnectorException | IllegalArgumentException unavailable) {
            // host_not_allowed, unreachable, not JSON, not a URL
            return null;
        }
    }
}
