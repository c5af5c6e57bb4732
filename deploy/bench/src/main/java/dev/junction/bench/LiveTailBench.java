package dev.junction.bench;


import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Live tail: SSE clients on a tenant's event stream, webhook batches of 10 events at 5 (or a chosen number of) batches/s,
 * latency from sending a batch to each client receiving its events.
 */
final class LiveTailBench {

    private final int sseClients;
    private final int sseSeconds;
    private final boolean jdkClient;
    private final int batchesPerSecond;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LiveTailBench(int sseClients, int sseSeconds) {
        this(sseClients, sseSeconds, false);
    }

    /**
     * @param jdkClient read the streams with the JDK's HttpClient (one selector thread for all of them)
     *                  instead of a socket and a thread per client, as separate browsers would
     */
    LiveTailBench(int sseClients, int sseSeconds, boolean jdkClient) {
        this(sseClients, sseSeconds, jdkClient, 5);
    }

    /** @param batchesPerSecond batches of 10 events sent a second (10: the 100 events/s) */
    LiveTailBench(int sseClients, int sseSeconds, boolean jdkClient, int batchesPerSecond) {
        this.sseClients = sseClients;
        this.sseSeconds = sseSeconds;
        this.jdkClient = jdkClient;
        this.batchesPerSecond = batchesPerSecond;
    }

    private static void daemon(Runnable body) {
        Thread t = new Thread(body, "sse-client");
        t.setDaemon(true);
        t.start();
    }

    /** One SSE stream over HTTP/1.1 on a plain socket: headers, then the chunked body split into lines. */
    static final class SseSocket implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.InputStream in;

        SseSocket(URI uri, String token) throws java.io.IOException {
            socket = new java.net.Socket(uri.getHost(), uri.getPort());
            socket.setTcpNoDelay(true);
            String request = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                    + uri.getPort() + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        }

        void readLines(java.util.function.Consumer<String> onLine) {
            try {
                String status = line();
                if (status == null || !status.contains(" 200")) {
                    throw new IllegalStateException("the stream answered " + status);
                }
                boolean chunked = false;
                for (String h; (h = line()) != null && !h.isEmpty(); ) {
                    chunked |= h.toLowerCase(java.util.Locale.ROOT).replace(" ", "").equals("transfer-encoding:chunked");
                }
                java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
                while (true) {
                    int size;
                    byte[] data;
                    if (chunked) {
                        String sizeLine = line();
                        if (sizeLine == null) {
                            return;
                        }
                        size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
                        if (size == 0) {
                            return;
                        }
                        data = in.readNBytes(size);
                        line(); // the CRLF after the chunk
                    } else {
                        data = new byte[8192];
                        size = in.read(data);
                        if (size < 0) {
                            return;
                        }
                    }
                    for (int i = 0; i < size; i++) {  // lines may span chunks
                        if (data[i] == '\n') {
                            onLine.accept(pending.toString(java.nio.charset.StandardCharsets.UTF_8).stripTrailing());
                            pending.reset();
                        } else {
                            pending.write(data[i]);
                        }
                    }
                }
            } catch (java.io.IOException closed) {
                // the benchmark closed the stream
            }
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != -1; ) {
                if (c == '\n') {
                    return b.toString().stripTrailing();
                }
                b.append((char) c);
            }
            return b.length() == 0 ? null : b.toString();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    void measure(String base, String webhook, String token) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Map.Entry<String, Long>> receipts = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch connected = new CountDownLatch(sseClients);
        List<AutoCloseable> streams = Collections.synchronizedList(new ArrayList<>());
        java.util.function.Consumer<String> onLine = line -> {
            if (line.startsWith(":")) {
                connected.countDown();
            } else if (line.startsWith("data:")) {
                long now = System.nanoTime();
                int k = line.indexOf("\"dedupe_key\":\"");
                if (k > 0) {
                    String key = line.substring(k + 14, line.indexOf('"', k + 14));
                    String prefix = key.substring(0, key.lastIndexOf('-'));
                    Long sent = sentAt.get(prefix);
                    if (sent != null) {
                        latencies.add((now - sent) / 1e6);
                        receipts.add(Map.entry(prefix, now));
                    }
                }
            }
        };
        String path = "/v1/admin/events/stream?direction=inbound";
        for (int i = 0; i < sseClients; i++) {
            if (jdkClient) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
                http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
                    streams.add(r.body()::close);
                    daemon(() -> {
                        try {
                            r.body().forEach(onLine);
                        } catch (java.io.UncheckedIOException closed) {
                            // the benchmark closed the stream
                        }
                    });
                });
            } else {
                SseSocket socket = new SseSocket(URI.create(base + path), token);
                streams.add(socket);
                daemon(() -> socket.readLines(onLine));
            }
        }
        connected.await();
        int perBatch = 10;
        long end = System.nanoTime() + Duration.ofSeconds(sseSeconds).toNanos();
        int batches = 0;
        while (System.nanoTime() < end) {
            String prefix = "sse" + UUID.randomUUID();
            byte[] body = WebhookIngestBench.batch(prefix, perBatch);
            sentAt.put(prefix, System.nanoTime());
            WebhookIngestBench.postBatch(http, webhook, body);
            ackedAt.put(prefix, System.nanoTime());
            batches++;
            Thread.sleep(Math.max(0, 1000 / batchesPerSecond - (System.nanoTime() - sentAt.get(prefix)) / 1_000_000));
        }
        Thread.sleep(2000);
        for (AutoCloseable stream : streams) {
            stream.close();
        }
        Stats s = new Stats(latencies);
        int expected = batches * perBatch * sseClients;
        System.out.println();
        System.out.printf("live tail (%s): %d SSE clients, %d batches of %d events at %d batches/s: send-to-client latency %s; "
                + "%d of %d deliveries arrived%n", jdkClient ? "JDK HttpClient" : "a socket and thread per client", sseClients, batches, perBatch,
                batchesPerSecond, s, s.count(), expected);
        // the same deliveries measured from the webhook's 2xx (the commit is a little earlier: a client
        // can see an event before its sender has the answer, hence negative values at the low end)
        List<Double> fromAck = new ArrayList<>();
        synchronized (receipts) {
            for (Map.Entry<String, Long> r : receipts) {
                Long acked = ackedAt.get(r.getKey());
                if (acked != null) {
                    fromAck.add((r.getValue() - acked) / 1e6);
                }
            }
        }
        Stats a = new Stats(fromAck);
        List<Double> answers = new ArrayList<>();
        ackedAt.forEach((prefix, acked) -> answers.add((acked - sentAt.get(prefix)) / 1e6));
        Stats answer = new Stats(answers);
        System.out.printf("  the same from the webhook's 2xx answer to the client: p50 %.1f ms, p99 %.1f ms; "
                + "webhook answer (10 events) p50 %.1f ms, p99 %.1f ms%n", a.percentile(50), a.percentile(99),
                answer.percentile(50), answer.percentile(99));
    }
}
