package dev.junction.platform.plugin;

import dev.junction.platform.tracing.Tracing;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.runtime.CallDeadline;
import dev.junction.runtime.http.Masking;
import dev.junction.spi.ConnectorException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every call into plugin code goes through here: on a separate thread with the plugin's class
 * loader, within a time limit. A {@link ConnectorException} is the plugin's own answer and is passed
 * on; anything else it throws, or running past the limit, is a defect of the plugin: the connector
 * is disabled with that reason (visible in the catalog) and the caller gets 503, while the
 * platform keeps serving. A {@link PlatformServiceException} (a platform service the plugin called
 * back into failed) is passed on as well.
 */
@Singleton
public final class PluginInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(PluginInvoker.class);
    private static final int MAX_REASON_LENGTH = 300;

    /** A call into a plugin. */
    @FunctionalInterface
    public interface PluginCall<T> {
        T call() throws ConnectorException;
    }

    private final ExecutorService executor;
    private final Duration defaultTimeout;

    private final PlatformMetrics metrics;
    private final Tracing tracing;

    PluginInvoker(PluginCallSettings settings, PlatformMetrics metrics, Tracing tracing) {
        this.tracing = tracing;
        this.defaultTimeout = settings.callTimeout();
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "plugin-call-" + n.incrementAndGet());
            t.setDaemon(true); // a hung plugin thread must not keep the JVM alive
            return t;
        });
    }

    /** Runs the connector's connection check, time-boxed; the message is masked of {@code secrets}. */
    public dev.junction.spi.CheckResult check(ConnectorEntry entry, dev.junction.spi.ConnectorContext context,
                                              Collection<String> secrets) throws ConnectorException {
        dev.junction.spi.CheckResult r = invoke(entry, "check", defaultTimeout, secrets, () -> entry.connector().check(context));
        if (r == null) {
            throw disable(entry, "crashed", "check returned null", null);
        }
        return new dev.junction.spi.CheckResult(r.succeeded(), r.code(), Masking.mask(r.message(), secrets), r.details());
    }

    /** The time limit for ordinary calls ({@code junction.plugins.call-timeout}, default 30 s). */
    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * Runs {@code call} for the connector within {@code timeout}.
     *
     * @param operation what is being called, for the disable reason (e.g. {@code check})
     * @param secrets   values to mask in any reason or log line
     * @throws ConnectorException            the plugin's own failure
     * @throws ConnectorUnavailableException the connector is (now) disabled
     */
    public <T> T invoke(ConnectorEntry entry, String operation, Duration timeout, Collection<String> secrets,
                        PluginCall<T> call) throws ConnectorException {
        long started = System.nanoTime();
        // what became of the call, for the metric: set where the outcome is decided
        String[] outcome = {"unavailable"};
        try {
            return tracing.span("plugin.call", () -> invokeTimed(entry, operation, timeout, secrets, call, outcome),
                    "connector", entry.slug(), "method", operation);
        } finally {
            metrics.pluginCall(entry.slug(), operation, outcome[0], Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private <T> T invokeTimed(ConnectorEntry entry, String operation, Duration timeout, Collection<String> secrets,
                        PluginCall<T> call, String[] outcome) throws ConnectorException {
        entry.disabledReason().ifPresent(reason -> {
            throw new ConnectorUnavailableException(entry.slug(), reason);
        });
        outcome[0] = "crashed";
        Future<T> future = executor.submit(tracing.carryOver(() -> {
            Thread current = Thread.currentThread();
            ClassLoader previous = current.getContextClassLoader();
            current.setContextClassLoader(entry.classLoader());
            try {
                return CallDeadline.within(timeout, call::call);
            } finally {
                current.setContextClassLoader(previous);
            }
        }));
        try {
            T result = future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            outcome[0] = "ok";
            return result;
        } catch (TimeoutException e) {
            outcome[0] = "timeout";
            future.cancel(true);
            throw disable(entry, "timeout", operation + " did not finish within " + timeout.toSeconds() + " s", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConnectorException ce) {
                outcome[0] = "error";
                throw ce;
            }
            PlatformServiceException platformFailure = PlatformServiceException.in(cause);
            if (platformFailure != null) {
                outcome[0] = "error";
                throw platformFailure; // the platform's own service failed under the plugin: not a defect of the plugin
            }
            String reason = operation + " failed with " + cause.getClass().getName()
                    + (cause.getMessage() == null ? "" : ": " + Masking.mask(cause.getMessage(), secrets));
            throw disable(entry, "crashed", reason, sanitized(cause, secrets));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new IllegalStateException("interrupted while calling the " + entry.slug() + " connector", e);
        }
    }

    private ConnectorUnavailableException disable(ConnectorEntry entry, String kind, String reason, Throwable cause) {
        metrics.pluginDisabled(entry.slug(), kind);
        String shortReason = reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "…" : reason;
        entry.disable(shortReason);
        LOG.error("Disabled connector {} (plugin {} {}): {}", entry.slug(), entry.pluginId(), entry.pluginVersion(),
                shortReason, cause);
        return new ConnectorUnavailableException(entry.slug(), entry.disabledReason().orElse(shortReason));
    }

    /**
     * A copy of the exception chain with secrets masked in every message, for logging: a plugin's
     * exception may quote its config.
     */
    static Throwable sanitized(Throwable t, Collection<String> secrets) {
        if (t == null) {
            return null;
        }
        RuntimeException copy = new RuntimeException(t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + Masking.mask(t.getMessage(), secrets)),
                sanitized(t.getCause() == t ? null : t.getCause(), secrets));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
