package dev.junction.runtime.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body handed to a connector: counts the bytes read, and closes the underlying stream
 * (so that a blocked read fails with an {@link IOException}) when one read waits longer than the
 * call's timeout or the plugin call's deadline passes. The check runs every {@link #TICK} on one
 * daemon thread shared by all downloads; only time spent blocked in a read counts as a stall, not
 * time the connector spends on what it read.
 */
final class GuardedBody extends FilterInputStream {

    /** How often a download is checked for a stall or its deadline. */
    static final Duration TICK = Duration.ofMillis(100);

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "connector-http-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final long idleLimitNanos;
    private final long deadlineNanos;
    private final ScheduledFuture<?> check;
    private volatile long readingSince;   // System.nanoTime when the pending read started, 0 when none
    private volatile String stopped;      // why the watchdog closed the stream, or null
    private volatile boolean pastDeadline;
    private volatile boolean closed;
    private long count;

    /**
     * @param in            the JDK's body stream
     * @param idleLimit     the longest one read may block
     * @param deadlineNanos System.nanoTime by which the download must end (Long.MAX_VALUE for none)
     */
    GuardedBody(InputStream in, Duration idleLimit, long deadlineNanos) {
        super(in);
        this.idleLimitNanos = idleLimit.toNanos();
        this.deadlineNanos = deadlineNanos;
        this.check = WATCHDOG.scheduleAtFixedRate(this::check, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        long since = readingSince;
        if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) {
            pastDeadline = true;
            stop("the time allowed for this operation ran out");
        } else if (since != 0 && now - since > idleLimitNanos) {
            stop("no data for " + Duration.ofNanos(idleLimitNanos).toMillis() + " ms");
        }
    }

    private void stop(String why) {
        if (stopped == null) {
            stopped = why;
            try {
                in.close();  // wakes a blocked read: it fails with "closed"
            } catch (IOException ignored) {
                // closing is all we want
            }
        }
        check.cancel(false);
    }

    @Override
    public int read() throws IOException {
        begin();
        try {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        } catch (IOException e) {
            throw explained(e);
        } finally {
            readingSince = 0;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        begin();
        try {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        } catch (IOException e) {
            throw explained(e);
        } finally {
            readingSince = 0;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        begin();
        try {
            long skipped = in.skip(n);
            count += Math.max(0, skipped);
            return skipped;
        } catch (IOException e) {
            throw explained(e);
        } finally {
            readingSince = 0;
        }
    }

    private void begin() throws IOException {
        if (stopped != null) {
            throw new IOException(stopped);
        }
        if (closed) {
            throw new IOException("closed");
        }
        long now = System.nanoTime();
        readingSince = now == 0 ? 1 : now;
    }

    private IOException explained(IOException e) {
        String why = stopped;
        return why == null ? e : new IOException(why, e);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Closing by the reader is allowed; {@link #release()} closes again, harmlessly. */
    @Override
    public void close() throws IOException {
        closed = true;
        check.cancel(false);
        in.close();
    }

    /** Ends the download: stops the checks and discards what was not read. */
    void release() {
        closed = true;
        check.cancel(false);
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Body bytes read so far. */
    long count() {
        return count;
    }

    /** Whether the watchdog stopped the download because the call's deadline passed. */
    boolean pastDeadline() {
        return pastDeadline;
    }

    /** A one-line description of why reading failed. */
    String failure(IOException e) {
        String why = stopped;
        if (why != null) {
            return why;
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
