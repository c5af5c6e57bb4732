package dev.junction.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The fake SendGrid in its own JVM (OpenAPI validation off), as benchmarks and the fault suite use it. */
final class FakeSendGridProcess implements AutoCloseable {

    /** The key the fake accepts with every Marketing scope. */
    static final String API_KEY = "SG.junction-fake-sendgrid.default-key-with-all-marketing-scopes-00000";

    final int port;
    private final Process process;

    FakeSendGridProcess(String heap, int importDelayMillis, String... extraOptions) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                "dev.junction.fakesendgrid.FakeSendGridMain", "--port", String.valueOf(port), "--no-validation",
                "--import-delay-ms", String.valueOf(importDelayMillis)));
        command.addAll(List.of(extraOptions));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // the fake prints its "listening" line once it serves (and, with --seed-contacts, once seeding is done);
        // the rest of its output is drained so that it never blocks on a full pipe
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("Seeded ")) {
                        System.out.println("fake SendGrid: " + line);
                    }
                    if (line.startsWith("FakeSendGrid listening")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                ready.countDown();
            }
        }, "fake-sendgrid-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(10, TimeUnit.MINUTES) || !process.isAlive()) {
            process.destroy();
            throw new IllegalStateException("the fake SendGrid did not start");
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
