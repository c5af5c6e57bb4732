package dev.junction.fakesendgrid;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;

/** Settings for {@link FakeSendGrid#builder()}; every setter returns the builder. */
public final class FakeSendGridBuilder {
    String host = "127.0.0.1";
    int port;
    ValidationMode validation = ValidationMode.STRICT;
    Duration importDelay = Duration.ofMillis(100);
    Duration exportDelay = Duration.ofMillis(200);
    int maxIdsPerDelete = 100;
    int recordBodyLimit = 8 * 1024 * 1024;
    int maxRecordedRequests = 100_000;
    String defaultApiKey = FakeSendGrid.DEFAULT_API_KEY;

    FakeSendGridBuilder() {}

    /**
     * The address to bind (default {@code 127.0.0.1}).
     *
     * @param host a host name or IP literal
     * @return this builder
     */
    public FakeSendGridBuilder host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /**
     * The port (default 0: an ephemeral port).
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public FakeSendGridBuilder port(int port) {
        this.port = port;
        return this;
    }

    /**
     * The validation mode (default {@link ValidationMode#STRICT}).
     *
     * @param mode the mode
     * @return this builder
     */
    public FakeSendGridBuilder validation(ValidationMode mode) {
        this.validation = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * How long after being accepted an import, delete or list-removal job is applied (default 100 ms).
     *
     * @param delay the delay (zero allowed)
     * @return this builder
     */
    public FakeSendGridBuilder importDelay(Duration delay) {
        this.importDelay = nonNegative(delay);
        return this;
    }

    /**
     * How long after being requested an export starts being written (default 200 ms); it is {@code pending}
     * until written.
     *
     * @param delay the delay (zero allowed)
     * @return this builder
     */
    public FakeSendGridBuilder exportDelay(Duration delay) {
        this.exportDelay = nonNegative(delay);
        return this;
    }

    /**
     * The most ids accepted by {@code DELETE /v3/marketing/contacts?ids=} and
     * {@code DELETE /v3/marketing/lists/{id}/contacts?contact_ids=} (default 100; SendGrid documents no number,
     * see README).
     *
     * @param max at least 1
     * @return this builder
     */
    public FakeSendGridBuilder maxIdsPerDelete(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        this.maxIdsPerDelete = max;
        return this;
    }

    /**
     * How many bytes of each request body are recorded (default 8 MiB; 0 records none).
     *
     * @param bytes the limit
     * @return this builder
     */
    public FakeSendGridBuilder recordBodyLimit(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0");
        }
        this.recordBodyLimit = bytes;
        return this;
    }

    /**
     * How many requests are kept (default 100,000; the oldest are dropped).
     *
     * @param count at least 1
     * @return this builder
     */
    public FakeSendGridBuilder maxRecordedRequests(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        this.maxRecordedRequests = count;
        return this;
    }

    /**
     * The value of the default API key (default {@link FakeSendGrid#DEFAULT_API_KEY}).
     *
     * @param key the key
     * @return this builder
     */
    public FakeSendGridBuilder defaultApiKey(String key) {
        this.defaultApiKey = Objects.requireNonNull(key, "key");
        return this;
    }

    /**
     * Starts the fake.
     *
     * @return the running fake
     * @throws UncheckedIOException when the port cannot be bound
     */
    public FakeSendGrid start() {
        return new FakeSendGrid(this);
    }

    private static Duration nonNegative(Duration d) {
        Objects.requireNonNull(d, "delay");
        if (d.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return d;
    }
}
