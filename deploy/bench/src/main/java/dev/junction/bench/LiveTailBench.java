package dev.junction.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Live tail: SSE clients on a tenant's event stream, webhook batches of 10 events at 5 batches/s,
 * latency from sending a batch to each client receiving its events.
 */
final class LiveTailBench {

    private final int sseClients;
    private final int sseSeconds;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LiveTailBench(int sseClients, int sseSeconds) {
        this.sseClients = sseClients;
        this.sseSeconds = sseSeconds;
    }

    void measure(String base, String webhook, String token) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch connected = new CountDownLatch(sseClients);
        List<Stream<String>> streams = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < sseClients; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/admin/events/stream?direction=inbound"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
                streams.add(r.body());
                Thread t = new Thread(() -> {
                  try {
                    r.body().forEach(line -> {
                    if (line.startsWith(":")) {
                        connected.countDown();
                    } else if (line.startsWith("data:")) {
                        long now = System.nanoTime();
                        int k = line.indexOf("\"dedupe_key\":\"");
                        if (k > 0) {
                            String key = line.substring(k + 14, line.indexOf('"', k + 14));
                            Long sent = sentAt.get(key.substring(0, key.lastIndexOf('-')));
                            if (sent != null) {
                                latencies.add((now - sent) / 1e6);
                            }
                        }
                    }
                    });
                  } catch (java.io.UncheckedIOException closed) {
                    // the benchmark closed the stream
                  }
                });
                t.setDaemon(true);
                t.start();
            });
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
            batches++;
            Thread.sleep(200);
        }
        Thread.sleep(2000);
        streams.forEach(Stream::close);
        Stats s = new Stats(latencies);
        int expected = batches * perBatch * sseClients;
        System.out.println();
        System.out.printf("live tail: %d SSE clients, %d batches of %d events at 5 batches/s: send-to-client latency %s; "
                + "%d of %d deliveries arrived%n", sseClients, batches, perBatch, s, s.count(), expected);
    }
}
