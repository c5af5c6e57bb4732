package dev.junction.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real server jar as a separate process on a fresh database: what a deployment runs, started
 * the way the README says.
 */
final class ServerProcess implements AutoCloseable {

    final int port;
    final String database;
    final Map<String, String> env = new HashMap<>();
    private final Path repo;
    private final List<String> jvmArgs;
    private final Path log;
    private Process process;

    /** A server on a fresh port with fresh secrets. */
    ServerProcess(Path repo, String database, List<String> jvmArgs, Map<String, String> extraEnv) throws Exception {
        this(repo, database, jvmArgs, secrets(), extraEnv, freePort());
    }

    private ServerProcess(Path repo, String database, List<String> jvmArgs, Map<String, String> secrets,
                          Map<String, String> extraEnv, int port) throws Exception {
        this.repo = repo;
        this.port = port;
        this.database = database;
        this.jvmArgs = List.copyOf(jvmArgs);
        env.putAll(secrets);
        env.put("JUNCTION_PORT", String.valueOf(port));
        env.put("JUNCTION_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        env.put("JUNCTION_PLUGINS_DIR", repo.resolve("plugins").toString());
        env.put("JUNCTION_PUBLIC_URL", "http://127.0.0.1:" + port);
        env.putAll(extraEnv);
        LogScan.remember(env.get("JUNCTION_JWT_SECRET"), env.get("JUNCTION_MASTER_KEY"));
        log = Files.createTempFile("junction-bench-server-", ".log");
        start();
    }

    /** Another replica: same database, secrets and settings, its own port. */
    ServerProcess replica() throws Exception {
        Map<String, String> secrets = Map.of("JUNCTION_JWT_SECRET", env.get("JUNCTION_JWT_SECRET"),
                "JUNCTION_MASTER_KEY", env.get("JUNCTION_MASTER_KEY"));
        Map<String, String> extra = new HashMap<>(env);
        extra.keySet().removeAll(List.of("JUNCTION_PORT", "JUNCTION_PUBLIC_URL"));
        return new ServerProcess(repo, database, jvmArgs, secrets, extra, freePort());
    }

    private static Map<String, String> secrets() {
        SecureRandom random = new SecureRandom();
        byte[] jwt = new byte[48];
        byte[] key = new byte[32];
        random.nextBytes(jwt);
        random.nextBytes(key);
        return Map.of("JUNCTION_JWT_SECRET", Base64.getEncoder().encodeToString(jwt),
                "JUNCTION_MASTER_KEY", Base64.getEncoder().encodeToString(key));
    }

    private void start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(jvmArgs);
        String extraJvmOptions = System.getenv("JUNCTION_BENCH_SERVER_JVM_OPTIONS");  // e.g. a flight recording
        if (extraJvmOptions != null && !extraJvmOptions.isBlank()) {
            cmd.addAll(List.of(extraJvmOptions.strip().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", repo.resolve("platform/server/target/junction-server.jar").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
        waitHealthy();
    }

    /** {@code kill -9}: no shutdown hook, no chance to finish anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts the server again on the same port (after {@link #kill}). */
    void restart() throws Exception {
        if (process.isAlive()) {
            kill();
        }
        start();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A token minted by the server jar's own {@code token} command. */
    String token(String... args) throws Exception {
        return token(repo, args);
    }

    String token(Path repo, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", repo.resolve("platform/server/target/junction-server.jar").toString(), "token"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("token command failed: " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        LogScan.remember(out);
        return out;
    }

    private void waitHealthy() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not become healthy; log: " + log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
        LogScan.scan(log);
        if (System.getenv("JUNCTION_BENCH_KEEP_LOGS") != null) {
            System.err.println("server log kept: " + log);
        } else {
            Files.deleteIfExists(log);
        }
    }
}
