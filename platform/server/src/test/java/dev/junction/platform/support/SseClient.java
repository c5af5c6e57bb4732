package dev.junction.platform.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.contract.Contract;
import dev.junction.platform.support.contract.ContractRecorder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A Server-Sent Events client for tests: collects messages (id and JSON data) as they arrive. */
public final class SseClient implements AutoCloseable {

    /** One SSE message. */
    public record Message(String id, JsonNode data) { }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    public SseClient(URI uri, String token, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        response = HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            Thread t = new Thread(() -> read(r.body()), "sse-client");
            t.setDaemon(true);
            t.start();
        });
    }

    private void read(Stream<String> lines) {
        String id = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith(":")) {
                    connected.complete(null);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && data.length() > 0) {
                    Message m = new Message(id, Api.JSON.readTree(data.toString()));
                    checkAgainstContract(m);
                    messages.add(m);
                    id = null;
                    data.setLength(0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // stream closed
        }
    }

    /** Each message's data must be valid against ui-contract/schemas/live-event.json, and its id the entry's. */
    private static void checkAgainstContract(Message m) {
        for (var e : Contract.get().validateAgainstSchemaFile("live-event.json", m.data())) {
            ContractRecorder.violation("SSE message " + m.id() + " of /v1/admin/events/stream: " + e.getInstanceLocation()
                    + ": " + e.getMessage());
        }
        if (m.id() == null || !m.id().equals(m.data().path("id").asText())) {
            ContractRecorder.violation("SSE message id " + m.id() + " is not its entry's id " + m.data().path("id"));
        }
    }

    /** Waits until the server confirmed the subscription. */
    public SseClient awaitConnected() {
        try {
            connected.get(10, TimeUnit.SECONDS);
            return this;
        } catch (Exception e) {
            throw new AssertionError("SSE stream did not open", e);
        }
    }

    /** The HTTP status of the stream response. */
    public int status() {
        try {
            return response.get(10, TimeUnit.SECONDS).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits for {@code n} messages, up to {@code timeout}; returns those that came. */
    public List<Message> take(int n, Duration timeout) {
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                Message m = messages.poll(left, TimeUnit.NANOSECONDS);
                if (m != null) {
                    out.add(m);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(r -> r.body().close());
    }

}
