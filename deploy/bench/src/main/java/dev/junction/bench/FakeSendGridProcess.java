package dev.junction.bench;

import java.net.ServerSocket;

/** The fake SendGrid in its own JVM (OpenAPI validation off), as benchmarks and the fault suite use it. */
final class FakeSendGridProcess implements AutoCloseable {

    /** The key the fake accepts with every Marketing scope. */
    static final String API_KEY = "SG.junction-fake-sendgrid.default-key-with-all-marketing-scopes-00000";

    final int port;
    private final Process process;

    FakeSendGridProcess(String heap, int importDelayMillis) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        process = new ProcessBuilder("java", "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                "dev.junction.fakesendgrid.FakeSendGridMain", "--port", String.valueOf(port), "--no-validation",
                "--import-delay-ms", String.valueOf(importDelayMillis))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the fake SendGrid did not start");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
