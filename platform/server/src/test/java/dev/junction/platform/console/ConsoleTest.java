package dev.junction.platform.console;

import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console is served by the platform, without a token, under a strict CSP, and loads nothing from elsewhere. */
@MicronautTest(transactional = false)
class ConsoleTest extends ApiTestBase {

    private Api console() {
        return api().outsideContract("the console's static files are not API");
    }

    @Test
    void consoleRedirectsToItsIndexAndIsServedWithSecurityHeaders() {
        Api.Response root = console().get("/console");
        assertEquals(308, root.status(), root.toString());
        assertEquals("/console/", root.headers().firstValue("location").orElse(""));

        Api.Response index = console().get("/console/");
        assertEquals(200, index.status(), index.toString());
        assertTrue(index.contentType().startsWith("text/html"), index.contentType());
        assertTrue(index.body().contains("<script type=\"module\" src=\"app.js\">"));
        for (String path : List.of("/console/", "/console/app.js", "/console/console.css")) {
            Api.Response r = console().get(path);
            assertEquals(200, r.status(), path);
            assertEquals(ConsoleSecurityHeaders.CSP, r.headers().firstValue("content-security-policy").orElse(""), path);
            assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElse(""), path);
            assertEquals("DENY", r.headers().firstValue("x-frame-options").orElse(""), path);
            assertEquals("no-referrer", r.headers().firstValue("referrer-policy").orElse(""), path);
        }
        assertTrue(console().get("/console/app.js").contentType().contains("javascript"));
        assertEquals(404, console().get("/console/no-such-file.js").status());
    }

    @Test
    void theConsoleFetchesNothingFromElsewhereAndKeepsTheTokenOutOfUrlsAndStorage() throws IOException {
        Path dir = Path.of("src/main/resources/console");
        Pattern external = Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//|import\\s[^;]*from\\s*\"https?:|fetch\\(\\s*\"https?:");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                assertFalse(external.matcher(text).find(), f + " loads something from elsewhere");
                assertFalse(text.contains("innerHTML"), f + " must build DOM from text, never markup");
                assertFalse(text.contains("localStorage"), f + ": the token lives in sessionStorage only");
                assertFalse(Pattern.compile("[?&](access_)?token=").matcher(text).find(), f + " puts a token in a URL");
            }
        }
    }
}
