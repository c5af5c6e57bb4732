package dev.junction.plugins.klaviyo;

import java.net.URI;
import java.util.Map;

/** Klaviyo's cursor pages: {@code links.next} is the absolute URL of the next page, or absent/null. */
final class Pages {

    private Pages() { }

    /** The next page as a path and query (resolved against the installation's base URL), or null. */
    static String next(Map<?, ?> document) {
        if (document.get("links") instanceof Map<?, ?> links && links.get("next") instanceof String next && !next.isBlank()) {
            URI uri = URI.create(next);
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        return null;
    }
}
