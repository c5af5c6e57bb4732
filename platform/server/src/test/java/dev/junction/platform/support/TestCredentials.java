package dev.junction.platform.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Credential values tests create (API keys, write keys, webhook ids, secret values, basic-auth
 * passwords), kept in {@code target/test-logs/credentials.txt} so that the log scan
 * ({@code LogSecretScanTest}) looks for each of them, whichever test engine made them.
 */
public final class TestCredentials {

    public static final Path FILE = Path.of("target/test-logs/credentials.txt");

    private TestCredentials() {
    }

    public static synchronized void remember(String... values) {
        try {
            Files.createDirectories(FILE.getParent());
            StringBuilder b = new StringBuilder();
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    b.append(v.replace('\n', ' ')).append('\n');
                }
            }
            Files.writeString(FILE, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every value remembered so far in this build. */
    public static List<String> all() throws IOException {
        return Files.exists(FILE) ? Files.readAllLines(FILE, StandardCharsets.UTF_8).stream().filter(s -> s.length() >= 8).distinct().toList()
                : List.of();
    }
}
