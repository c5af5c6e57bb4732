package dev.junction.platform.console;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.net.URI;

/**
 * The reference console: static files under {@code /console/} (src/main/resources/console, mapped
 * by {@code micronaut.router.static-resources.console}; not part of the API contract).
 * {@code /console} redirects to {@code /console/} so that the page's relative URLs resolve.
 *
 * <p>The console loads only its own files and talks only to this server: a strict Content Security
 * Policy (no inline script or style, nothing from elsewhere, no framing), no MIME sniffing, no
 * referrer, no caching of stale code. The token stays in the tab's sessionStorage and request
 * headers; nothing here puts it in a URL.
 */
@ServerFilter({"/console", "/console/**"})
final class ConsoleSecurityHeaders {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @RequestFilter
    @Nullable
    HttpResponse<?> redirectRoot(HttpRequest<?> request) {
        return request.getPath().equals("/console") ? HttpResponse.permanentRedirect(URI.create("/console/")) : null;
    }

    @ResponseFilter
    void headers(MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", CSP);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "no-referrer");
        response.header("Cache-Control", "no-cache");
        response.header("Cross-Origin-Opener-Policy", "same-origin");
    }
}
