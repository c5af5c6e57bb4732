package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * SendGrid's token paging: {@code GET path}, the items in one field of the answer, and the next page
 * behind {@code _metadata.next}, of which only the {@code page_token} is taken (the request goes to the
 * configured base URL, never to the host the link names, which would bypass an operator's egress proxy).
 */
final class Pages {

    /** Takes one item of a page. */
    @FunctionalInterface
    interface Item {
        /** @return false to stop reading */
        boolean accept(Map<?, ?> item) throws ConnectorException;
    }

    /**
     * How reading ended.
     *
     * @param items     items read
     * @param count     the total {@code _metadata.count} reported, or -1
     * @param exhausted true when the last page read had no next page: every item was read
     */
    record Outcome(long items, long count, boolean exhausted) { }

    private Pages() {
    }

    /**
     * Reads the pages of {@code path} until the last, until {@code item} returns false, or until
     * {@code maxPages} pages were read (a guard against a vendor that keeps answering "next").
     *
     * @param what  the operation, for errors, e.g. {@code GET /v3/marketing/lists}
     * @param path  path and query of the first page
     * @param field the field holding the items, e.g. {@code result}
     */
    static Outcome read(SendGridApi api, String what, String path, String field, int maxPages, Duration timeout,
                        Item item) throws ConnectorException {
        String token = null;
        long items = 0;
        long count = -1;
        for (int page = 0; page < maxPages; page++) {
            String pagePath = token == null ? path
                    : path + (path.contains("?") ? "&" : "?") + "page_token=" + SendGridApi.encode(token);
            HttpResult r = api.send(SendGridApi.patient(HttpCall.get(api.uri(pagePath)), timeout));
            if (!r.isSuccess()) {
                throw api.unexpected(what, r);
            }
            Map<?, ?> body = api.object(what, r);
            List<?> result = body.get(field) instanceof List<?> l ? l : List.of();
            for (Object o : result) {
                if (o instanceof Map<?, ?> m) {
                    items++;
                    if (!item.accept(m)) {
                        return new Outcome(items, count, false);
                    }
                }
            }
            Map<?, ?> meta = body.get("_metadata") instanceof Map<?, ?> m ? m : Map.of();
            if (meta.get("count") instanceof Number n) {
                count = n.longValue();
            }
            String next = meta.get("next") instanceof String s ? pageToken(s) : null;
            if (next == null || next.equals(token) || result.isEmpty()) {
                return new Outcome(items, count, true);
            }
            token = next;
        }
        return new Outcome(items, count, false);
    }

    /** The {@code page_token} of SendGrid's "next" link, or null. */
    static String pageToken(String nextUrl) {
        try {
            String query = URI.create(nextUrl).getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("page_token=")) {
                        String token = URLDecoder.decode(pair.substring("page_token=".length()), StandardCharsets.UTF_8);
                        return token.isEmpty() ? null : token;
                    }
                }
            }
        } catch (IllegalArgumentException unreadable) {
            // no further page
        }
        return null;
    }
}
