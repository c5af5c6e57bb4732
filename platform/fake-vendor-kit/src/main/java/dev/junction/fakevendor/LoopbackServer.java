package dev.junction.fakevendor;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's HTTP server bound to one address, answering on daemon threads. Bound first (so a fake knows its
 * base URL while it wires its handlers), then {@link #serve(HttpHandler) served}.
 */
public final class LoopbackServer implements AutoCloseable {
    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // about 40 ms per small answer on loopback (measured with fake-klaviyo: 55 ms -> 10 ms per 100-profile
        // page). JVM-wide, read once when the JDK's server first starts; an explicit -Dsun.net.httpserver.nodelay
        // wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    private LoopbackServer(HttpServer server, String threadPrefix, String host) {
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        String hostInUrl = host.contains(":") ? "[" + host + "]" : host;
        this.baseUrl = "http://" + hostInUrl + ":" + server.getAddress().getPort();
    }

    /**
     * Binds an address; nothing is answered until {@link #serve(HttpHandler)}.
     *
     * @param host a host name or IP literal, e.g. {@code 127.0.0.1}
     * @param port a port, or 0 for an ephemeral one
     * @param threadPrefix the name prefix of the answering threads, e.g. {@code fake-sendgrid-http}
     * @return the bound server
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static LoopbackServer bind(String host, int port, String threadPrefix) {
        try {
            return new LoopbackServer(HttpServer.create(new InetSocketAddress(host, port), 256), threadPrefix, host);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + host + ":" + port, e);
        }
    }

    /**
     * Starts answering every path with this handler.
     *
     * @param handler the handler of every request
     * @return this server
     */
    public LoopbackServer serve(HttpHandler handler) {
        server.createContext("/", handler);
        server.start();
        return this;
    }

    /** @return {@code http://host:port}, without a trailing slash (IPv6 literals in brackets) */
    public String baseUrl() {
        return baseUrl;
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops answering at once and ends the answering threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
