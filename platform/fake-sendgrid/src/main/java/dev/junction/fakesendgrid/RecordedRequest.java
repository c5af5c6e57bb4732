package dev.junction.fakesendgrid;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request the fake received, and how it answered.
 *
 * @param at when the request arrived
 * @param method the HTTP method
 * @param path the decoded path, without query
 * @param query the raw query string, or an empty string
 * @param headers request headers with lower-cased names; the {@code authorization} value is masked
 * @param body the request body, cut at the configured recording limit
 * @param bodySize the full body size in bytes
 * @param bodyTruncated whether {@code body} was cut
 * @param batchSize the number of items the request carried, or -1: contacts for {@code PUT /v3/marketing/contacts},
 *     e-mails for {@code POST /v3/marketing/contacts/search/emails}, ids for {@code DELETE /v3/marketing/contacts}
 *     and {@code DELETE /v3/marketing/lists/{id}/contacts}
 * @param status the status the fake answered (0 when the fake hung up without answering)
 * @param duration the time from arrival until the answer was ready (before its body was written)
 */
public record RecordedRequest(Instant at, String method, String path, String query, Map<String, List<String>> headers,
        byte[] body, long bodySize, boolean bodyTruncated, int batchSize, int status, Duration duration) {

    /**
     * The recorded body as UTF-8 text.
     *
     * @return the body text (possibly cut, see {@link #bodyTruncated()})
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The first value of a query parameter.
     *
     * @param name the parameter name
     * @return the decoded value, or null when absent
     */
    public String queryParam(String name) {
        List<String> values = dev.junction.fakevendor.QueryStrings.parse(query).get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or null when absent
     */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status;
    }
}
