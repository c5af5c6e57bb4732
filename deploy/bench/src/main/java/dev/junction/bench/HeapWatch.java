package dev.junction.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples a server's heap use from /prometheus every 200 ms and keeps the peak. */
final class HeapWatch extends Thread {

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E+-]+)", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final AtomicLong peak = new AtomicLong();
    volatile boolean stop;
    private final String base;

    HeapWatch(String base) {
        this.base = base;
        setDaemon(true);
    }

    @Override
    public void run() {
        while (!stop) {
            try {
                String text = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                double used = 0;
                Matcher m = HEAP.matcher(text);
                while (m.find()) {
                    used += Double.parseDouble(m.group(1));
                }
                long u = (long) used;
                peak.accumulateAndGet(u, Math::max);
                Thread.sleep(200);
            } catch (IOException | InterruptedException e) {
                return;
            }
        }
    }
}
