package dev.junction.platform.security;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs after every other test of this module, in a surefire execution of its own ({@code log-scan}
 * in the pom, so after jqwik's properties too, which Jupiter's class order cannot place), and reads
 * everything the server logged during the suite ({@code target/test-logs/junction-test.log}, DEBUG for Junction's own loggers): no secret
 * may appear. Secrets are recognised by shape (SendGrid API keys, tracking write keys, bearer
 * tokens, Basic credentials, unmasked webhook paths) and by value (the test master key and JWT
 * secret, and every credential the tests remembered in {@link dev.junction.platform.support.TestCredentials}).
 */
class LogSecretScanTest {

    private static final Path LOG = Path.of("target/test-logs/junction-test.log");

    private static final List<Pattern> SHAPES = List.of(
            // a SendGrid API key as tests configure them (SG.<something>); masked values show no key
            Pattern.compile("\\bSG\\.[A-Za-z0-9_-][A-Za-z0-9._-]{3,}"),
            // a tracking write key
            Pattern.compile("\\bjwk_[A-Za-z0-9_-]{32}"),
            // a webhook path whose id (the credential of an unsigned webhook) is not masked
            Pattern.compile("/v1/webhooks/(?!\\*\\*\\*)[A-Za-z0-9_-]{16,}"),
            // an HTTP Basic credential (webhook basic auth, tracking write keys)
            Pattern.compile("\\bBasic (?=[A-Za-z0-9+/]*[A-Z0-9+/])[A-Za-z0-9+/]{16,}={0,2}"),
            // a signed JWT (header.payload.signature)
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"));

    @Test
    void noSecretAppearsInAnyLogLine() throws IOException {
        String filter = System.getProperty("junction.test-filter", "");
        org.junit.jupiter.api.Assumptions.assumeTrue(filter.isEmpty() || filter.startsWith("${"),
                "a partial run (-Dtest=" + filter + "): the scan needs the whole suite's log");
        assertTrue(Files.exists(LOG), "the suite's log file is missing: " + LOG.toAbsolutePath());
        List<String> values = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/application-test.yml")) {
            String yml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String key : List.of("secret:", "master-key:")) {
                Matcher m = Pattern.compile(Pattern.quote(key) + "\\s*(\\S{16,})").matcher(yml);
                while (m.find()) {
                    values.add(m.group(1));
                }
            }
        }
        assertTrue(values.size() >= 2, "the test master key and JWT secret were not found in application-test.yml");
        // what the tests created: API keys, write keys, secret values, webhook ids, basic-auth passwords
        values.addAll(dev.junction.platform.support.TestCredentials.all());
        List<String> leaks = new ArrayList<>();
        long lines = 0;
        for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
            lines++;
            for (Pattern p : SHAPES) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    leaks.add(m.group() + "  in: " + abbreviate(line));
                }
            }
            for (String v : values) {
                if (line.contains(v)) {
                    leaks.add("a configured secret in: " + abbreviate(line));
                }
            }
        }
        assertTrue(lines > 1000, "the log is too short to have covered the suite: " + lines + " lines");
        assertTrue(leaks.isEmpty(), leaks.size() + " secret(s) in the log, e.g. " + leaks.subList(0, Math.min(5, leaks.size())));
    }

    private static String abbreviate(String line) {
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
