package dev.junction.platform.web;

import java.util.regex.Pattern;

/**
 * Request paths as they may be written to a log. The id in {@code /v1/webhooks/{id}} is the only
 * credential of an unsigned webhook, so it is masked; every log statement that names a request
 * path goes through {@link #masked}.
 */
final class LoggedPaths {

    private static final Pattern WEBHOOK_ID = Pattern.compile("^(/v1/webhooks/)[^/?#]+");

    private LoggedPaths() {
    }

    /** {@code path} with credentials masked: {@code /v1/webhooks/abc} becomes {@code /v1/webhooks/***}. */
    public static String masked(String path) {
        if (path == null) {
            return null;
        }
        // a client may send //v1/webhooks/... or a percent-encoded slash; the router normalises only
        // some of these, so anything under the webhooks prefix after normalising slashes is masked
        String normalised = path.replaceAll("/{2,}", "/");
        return WEBHOOK_ID.matcher(normalised).replaceFirst("$1***");
    }
}
