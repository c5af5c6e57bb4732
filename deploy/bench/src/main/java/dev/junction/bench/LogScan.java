package dev.junction.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's log scan: every credential the suite creates or is given (JWT secret, master
 * key, admin tokens, API keys, write keys, webhook ids, basic-auth passwords) is remembered, and
 * each server's log is read for them when the server closes, database outage included. A hit
 * fails the scenario ({@link FaultSuite}).
 */
final class LogScan {

    private static final Set<String> CREDENTIALS = ConcurrentHashMap.newKeySet();
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static final java.util.concurrent.atomic.AtomicLong LINES = new java.util.concurrent.atomic.AtomicLong();
    /** Credentials in the admin API's JSON, requests and answers alike. */
    private static final Pattern IN_JSON = Pattern.compile(
            "\"(?:api_key|write_key|password)\"\\s*:\\s*\"([^\"]{6,})\"|/v1/webhooks/([A-Za-z0-9_-]{16,})");
    /** Shapes that are credentials whatever their value: an unmasked webhook path, a signed JWT. */
    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile("/v1/webhooks/(?!\\*\\*\\*)[A-Za-z0-9_-]{16,}"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"));

    private LogScan() {
    }

    /** Remembers credential values to look for. */
    static void remember(String... values) {
        for (String v : values) {
            if (v != null && v.length() >= 6) {
                CREDENTIALS.add(v);
            }
        }
    }

    /** Remembers the credentials in an admin API request or answer body. */
    static void rememberFromJson(String json) {
        if (json == null) {
            return;
        }
        Matcher m = IN_JSON.matcher(json);
        while (m.find()) {
            remember(m.group(1) != null ? m.group(1) : m.group(2));
        }
    }

    /** Reads one server log for every remembered credential and every credential shape. */
    static void scan(Path log) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        int n = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            n++;
            LINES.incrementAndGet();
            for (String c : CREDENTIALS) {
                if (line.contains(c)) {
                    LEAKS.add(log.getFileName() + ":" + n + " holds a credential (" + c.substring(0, 4) + "…)");
                }
            }
            for (Pattern p : SHAPES) {
                if (p.matcher(line).find()) {
                    LEAKS.add(log.getFileName() + ":" + n + " holds a credential shape " + p.pattern().substring(0, 12) + "…");
                }
            }
        }
    }

    /** What the scan covered so far, for the scenario's report. */
    static String summary() {
        return CREDENTIALS.size() + " credential(s) looked for in " + LINES.get() + " log line(s)";
    }

    /** The leaks found since the last call. */
    static List<String> drainLeaks() {
        List<String> found = new ArrayList<>(LEAKS);
        LEAKS.removeAll(found);
        return found;
    }
}
