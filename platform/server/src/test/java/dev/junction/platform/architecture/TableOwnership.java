package dev.junction.platform.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which feature owns which table, and a check of the SQL in a source tree against it: each table
 * is written and read by the package that owns it; others go through its service. The SQL is
 * found in the string literals (and text blocks) of the sources, by the table name after
 * {@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE} or {@code TABLE}.
 */
final class TableOwnership {

    /** Table -> the feature package that owns it (the package right below the root). */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("tenant", "tenant"),
            Map.entry("secret", "secret"),
            Map.entry("installation", "installation"),
            Map.entry("installation_state", "installation"),
            Map.entry("event_log", "eventlog"),
            Map.entry("event_log_default", "eventlog"),
            Map.entry("webhook_dedupe", "eventlog"),
            Map.entry("cohort", "cohort"),
            Map.entry("cohort_member", "cohort"),
            Map.entry("cohort_run_item", "cohort"),
            Map.entry("cohort_run_rejection", "cohort"),
            Map.entry("cohort_sync", "cohort"),
            Map.entry("cohort_sync_run", "cohort"),
            Map.entry("cohort_sync_state", "cohort"),
            Map.entry("delivery", "delivery"),
            Map.entry("delivery_lane", "delivery"),
            Map.entry("ingest_inbox", "inbox"),
            Map.entry("http_source", "ingest"),
            Map.entry("tracked_event", "ingest"),
            Map.entry("profile", "profile"),
            Map.entry("profile_alias", "profile"),
            Map.entry("object_sync", "objectsync"),
            Map.entry("object_sync_collection", "objectsync"),
            Map.entry("object_sync_run", "objectsync"),
            Map.entry("webhook_endpoint", "webhook"),
            Map.entry("webhook_basic_auth", "webhook"));

    private static final Pattern LITERAL = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern TABLE = Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_][a-z0-9_]*)\\b",
            Pattern.CASE_INSENSITIVE);

    /** One use of another feature's table: "package/File.java reads or writes table (owned by owner)". */
    record Violation(String feature, String file, String table, String owner) {
        String key() {
            return feature + " -> " + table;
        }

        @Override
        public String toString() {
            return feature + "/" + file + " uses " + table + " (owned by " + owner + ")";
        }
    }

    private TableOwnership() {
    }

    /**
     * The uses of other features' tables in the sources below {@code root} (the directory of the
     * root package; a feature is a directory right below it), except the pairs "feature -> table"
     * in {@code allowed}.
     */
    static List<Violation> violations(Path root, Map<String, String> owners, Set<String> allowed) {
        List<Violation> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Path relative = root.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // classes of the root package belong to no feature
                }
                String feature = relative.getName(0).toString();
                Matcher literal = LITERAL.matcher(Files.readString(file));
                while (literal.find()) {
                    String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
                    Matcher table = TABLE.matcher(text);
                    while (table.find()) {
                        String name = table.group(1).toLowerCase(Locale.ROOT);
                        String owner = owners.get(name);
                        Violation v = new Violation(feature, relative.subpath(1, relative.getNameCount()).toString(), name, owner);
                        if (owner != null && !owner.equals(feature) && !allowed.contains(v.key()) && !found.contains(v)) {
                            found.add(v);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
