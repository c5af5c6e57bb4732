package dev.junction.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Senders that behave like SendGrid's Event Webhook: post batches, and send a batch again until it
 * is acknowledged with a 2xx (no answer, a 5xx or a 429 mean "try again"). Records which batches
 * were acknowledged, and what the server answered on the way.
 */
final class RetryingWebhookSender {

    private final String webhook;
    private final int batchSize;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    RetryingWebhookSender(String webhook, int batchSize) {
        this.webhook = webhook;
        this.batchSize = batchSize;
    }

    void start(int senders) {
        for (int i = 0; i < senders; i++) {
            Thread t = new Thread(this::loop, "sender-" + i);
            threads.add(t);
            t.start();
        }
    }

    /** Stops starting new batches; each sender finishes (acknowledges) the batch it has. */
    void stopAndDrain(Duration within) throws InterruptedException {
        stop.set(true);
        long deadline = System.nanoTime() + within.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                throw new IllegalStateException("a sender could not get its batch acknowledged in time");
            }
        }
    }

    private void loop() {
        try {
            while (!stop.get()) {
                String prefix = UUID.randomUUID().toString();
                byte[] body = WebhookIngestBench.batch(prefix, batchSize);
                while (!send(body)) {
                    Thread.sleep(200); // SendGrid backs off too
                }
                acknowledged.add(prefix);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean send(byte[] body) throws InterruptedException {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(webhook)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            return r.statusCode() >= 200 && r.statusCode() < 300;
        } catch (IOException noAnswer) {
            unanswered.incrementAndGet();
            return false;
        }
    }
}
