package dev.junction.fakevendor;

/**
 * What every fake vendor is to a test: a server on a loopback port standing in for the vendor's API host, and
 * an API key that always works.
 */
public abstract class FakeVendorServer implements AutoCloseable {
    /** The bound server; the subclass {@link LoopbackServer#serve serves} it once its handlers are wired. */
    protected final LoopbackServer server;
    private final String defaultApiKey;

    /**
     * @param server the bound server
     * @param defaultApiKey the key with every permission
     */
    protected FakeVendorServer(LoopbackServer server, String defaultApiKey) {
        this.server = server;
        this.defaultApiKey = defaultApiKey;
    }

    /**
     * The base URL to give a client in place of the vendor's API host, without a trailing slash, for example
     * {@code http://127.0.0.1:41234}.
     *
     * @return the base URL
     */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** @return the port the fake listens on */
    public int port() {
        return server.port();
    }

    /** @return the API key that always exists and may do everything the fake serves */
    public String defaultApiKey() {
        return defaultApiKey;
    }

    @Override
    public abstract void close();
}
