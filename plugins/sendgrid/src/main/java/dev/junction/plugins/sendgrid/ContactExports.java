package dev.junction.plugins.sendgrid;

import dev.junction.spi.Pause;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * SendGrid's contact exports: {@code POST /v3/marketing/contacts/exports} with {@code file_type: json},
 * {@code GET /v3/marketing/contacts/exports/{id}} until {@code ready}, then every file of {@code urls}
 * streamed and read line by line. Nothing of an export is held beyond the line being read.
 *
 * <p>The files: SendGrid documents neither their compression nor their lines. What is known from
 * its users: JSON exports are newline-delimited JSON, one contact per line, with {@code contact_id}
 * (not {@code id}), custom fields by name and only the fields that have values
 * (sendgrid/sendgrid-csharp#1024), served gzip-compressed as {@code .gzip} files without a
 * {@code Content-Encoding}. Each file is therefore gunzipped when it starts with gzip's magic bytes and
 * read as it is otherwise. The files are on pre-signed URLs on another host ("the exported file on S3",
 * the spec's {@code expires_at}): they are fetched without the API key, and their query (the signature)
 * is masked in the event log.
 */
final class ContactExports {

    /** The {@code max_file_size} asked for (MB): a file broken off midway is read again, at most this much. */
    static final int MAX_FILE_MB = 100;
    /** How long one export may stay {@code pending} before the pass gives up (retriable). */
    static final Duration MAX_WAIT = Duration.ofMinutes(60);
    /** Longer lines are not a contact: the file is refused. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    /** Attempts per file when its download breaks off (lines already read are upserted again, harmlessly). */
    static final int FILE_ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);

    /** A ready export: its files and the number of contacts SendGrid says it holds (or -1). */
    record Ready(String id, List<String> urls, long contactCount) { }

    /** Takes one line of an export, a JSON object. */
    @FunctionalInterface
    interface Line {
        void accept(Map<?, ?> object) throws ConnectorException;
    }

    private final ConnectorContext ctx;
    private final SendGridApi api;
    private final Pause pause;

    ContactExports(ConnectorContext ctx, SendGridApi api, Pause pause) {
        this.ctx = ctx;
        this.api = api;
        this.pause = pause;
    }

    /**
     * Requests a JSON export of every contact, or of the given lists' members.
     *
     * @return the export's id, or null when SendGrid refused a list id (the list was deleted meanwhile)
     */
    String request(List<String> listIds) throws ConnectorException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file_type", "json");
        body.put("max_file_size", MAX_FILE_MB);
        if (!listIds.isEmpty()) {
            body.put("list_ids", listIds);
        }
        // Marked idempotent: an export created twice after a 5xx is only wasted work at SendGrid.
        HttpResult r = api.send(SendGridApi.patient(HttpCall.post(api.uri("/v3/marketing/contacts/exports"))
                .json(ctx.json().write(body)).idempotent(true), TIMEOUT));
        if (r.status() == 400 && !listIds.isEmpty()
                && api.errors(r).stream().anyMatch(e -> "list_ids".equals(e.get("field")))) {
            return null;
        }
        if (!r.isSuccess()) {
            throw api.unexpected("POST /v3/marketing/contacts/exports", r);
        }
        if (api.object("POST /v3/marketing/contacts/exports", r).get("id") instanceof String id && !id.isBlank()) {
            return id;
        }
        throw new PermanentConnectorException("unexpected_response", "SendGrid accepted the contact export but "
                + "named no export id");
    }

    /**
     * Polls the export until it is {@code ready}, backing off from {@link ImportJobs#FIRST_POLL} to
     * {@link ImportJobs#MAX_POLL} (pauses short enough for the platform's deadline, see ImportJobs).
     * {@code failure} and waiting past {@link #MAX_WAIT} are retriable: a later pass exports again.
     */
    Ready await(String exportId) throws ConnectorException {
        String what = "GET /v3/marketing/contacts/exports/{id}";
        Duration next = ImportJobs.FIRST_POLL;
        Duration waited = Duration.ZERO;
        while (true) {
            pause.await(next, "SendGrid");
            waited = waited.plus(next);
            next = next.multipliedBy(2).compareTo(ImportJobs.MAX_POLL) > 0 ? ImportJobs.MAX_POLL : next.multipliedBy(2);
            HttpResult r = api.send(SendGridApi.patient(
                    HttpCall.get(api.uri("/v3/marketing/contacts/exports/" + SendGridApi.encode(exportId))), TIMEOUT));
            if (r.isSuccess()) {
                Map<?, ?> job = api.object(what, r);
                String status = job.get("status") instanceof String s ? s.toLowerCase(Locale.ROOT) : "pending";
                if (status.equals("ready")) {
                    List<String> urls = SendGridCollections.texts(job.get("urls"));
                    Long count = SendGridCollections.integer(job.get("contact_count"));
                    return new Ready(exportId, urls == null ? List.of() : urls, count == null ? -1 : count);
                }
                if (status.equals("failure")) {
                    throw new RetriableConnectorException("export_failed", "SendGrid's contact export " + exportId
                            + " failed" + (job.get("message") instanceof String m ? ": " + m : "")
                            + "; the next pass exports again.");
                }
            } else if (r.status() != 404) {  // 404: not visible yet right after the POST; keep polling
                throw api.unexpected(what, r);
            }
            if (waited.compareTo(MAX_WAIT) >= 0) {
                throw new RetriableConnectorException("export_pending", "SendGrid had not finished contact export "
                        + exportId + " after " + MAX_WAIT.toMinutes() + " minutes; the next pass exports again.");
            }
        }
    }

    /**
     * Streams every file of a ready export and hands each line to {@code line}, in file order.
     *
     * @return the number of lines read
     */
    long read(Ready ready, Line line) throws ConnectorException {
        long lines = 0;
        for (int i = 0; i < ready.urls().size(); i++) {
            lines += readFile(ready, i, line);
        }
        return lines;
    }

    private long readFile(Ready ready, int index, Line line) throws ConnectorException {
        URI uri;
        try {
            uri = URI.create(ready.urls().get(index));
        } catch (IllegalArgumentException e) {
            throw new PermanentConnectorException("unexpected_response", "SendGrid named an export file that is not "
                    + "a URL (export " + ready.id() + ")");
        }
        HttpCall.Builder call = HttpCall.get(uri).timeout(DOWNLOAD_TIMEOUT).maxAttempts(6).maxWait(Duration.ofMinutes(10));
        if (uri.getRawQuery() != null) {
            call.secret(uri.getRawQuery());
        }
        String file = "file " + (index + 1) + " of " + ready.urls().size() + " of export " + ready.id();
        for (int attempt = 1; ; attempt++) {
            try {
                long n = ctx.http().stream(call.build(), (head, body) -> {
                    if (!head.isSuccess()) {
                        throw new RetriableConnectorException("export_download_failed", "SendGrid's export file could "
                                + "not be downloaded (HTTP " + head.status() + " for " + file + "); the next pass "
                                + "exports again.");
                    }
                    return lines(body, line, file);
                });
                ctx.log().record(EventLog.Level.INFO, "export file read", "Read " + n + " contacts from " + file + ".",
                        Map.of("export_id", ready.id(), "file", index + 1, "files", ready.urls().size(), "lines", n));
                return n;
            } catch (RetriableConnectorException e) {
                if (!e.code().equals("download_failed") || attempt >= FILE_ATTEMPTS) {
                    throw e;
                }
                ctx.log().record(EventLog.Level.WARNING, "export file retried", "The download of " + file
                        + " broke off (" + e.getMessage() + "); reading it again from the start.",
                        Map.of("export_id", ready.id(), "file", index + 1, "attempt", attempt + 1));
            } catch (PermanentConnectorException e) {
                if (e.code().equals("host_not_allowed")) {
                    throw new PermanentConnectorException("export_host_not_allowed", "SendGrid offered the contact "
                            + "export from " + uri.getHost() + ", a host this connector may not download from. An "
                            + "operator can allow it with a URL-valued platform setting of the connector, e.g. "
                            + "JUNCTION_SENDGRID_EXPORT_URL=https://" + uri.getHost() + "/", e.getMessage(), e);
                }
                throw e;
            }
        }
    }

    /** Reads newline-delimited JSON objects, gunzipping first when the body is gzip. */
    private long lines(InputStream raw, Line line, String file) throws IOException, ConnectorException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        byte[] chunk = new byte[1 << 16];
        byte[] current = new byte[4096];
        int length = 0;
        long count = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    current = append(current, length, chunk, start, i - start, file);
                    length += i - start;
                    count += emit(current, length, line, file, count);
                    length = 0;
                    start = i + 1;
                }
            }
            current = append(current, length, chunk, start, n - start, file);
            length += n - start;
        }
        return count + emit(current, length, line, file, count);
    }

    private static byte[] append(byte[] to, int length, byte[] from, int start, int n, String file)
            throws PermanentConnectorException {
        if (length + n > MAX_LINE_BYTES) {
            throw new PermanentConnectorException("unexpected_response", "A line of SendGrid's " + file + " is longer "
                    + "than " + MAX_LINE_BYTES + " bytes: not a contact");
        }
        byte[] out = length + n > to.length ? Arrays.copyOf(to, Math.max(to.length * 2, length + n)) : to;
        System.arraycopy(from, start, out, length, n);
        return out;
    }

    /** Parses and hands over one line; returns 1, or 0 for a blank line. */
    private int emit(byte[] bytes, int length, Line line, String file, long before) throws ConnectorException {
        int end = length;
        while (end > 0 && (bytes[end - 1] == '\r' || bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
            end--;
        }
        if (end == 0) {
            return 0;
        }
        Object parsed;
        try {
            parsed = ctx.json().parse(Arrays.copyOf(bytes, end));
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw new PermanentConnectorException("unexpected_response", "Line " + (before + 1) + " of SendGrid's "
                    + file + " is not a JSON object; the export's format is not the one this connector reads");
        }
        line.accept(object);
        return 1;
    }
}
