package dev.junction.platform.tracing;

import io.micronaut.runtime.ApplicationConfiguration;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry spans around the platform's units of work: webhook ingest, tracking ingest,
 * delivery batches, sync runs and plugin calls. Off by default ({@code JUNCTION_TRACING_ENABLED=true}
 * turns it on); spans go to an OTLP/HTTP collector at {@code JUNCTION_TRACING_OTLP_ENDPOINT}
 * (default {@code http://localhost:4318/v1/traces}). While a span is open its trace and span ids
 * are in the logging MDC ({@code trace_id}, {@code span_id}), so every log line written inside it
 * carries them (JSON logs: {@code JUNCTION_LOG_FORMAT=json}).
 *
 * <p>Span attributes are the same bounded words as the metrics' labels (connector, method, kind),
 * never secrets, payloads or tenant data.
 */
@Singleton
public class Tracing {

    /** Work inside a span. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final OpenTelemetry openTelemetry;
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    Tracing(TracingSettings settings, ApplicationConfiguration application) {
        if (settings.enabled()) {
            String endpoint = settings.otlpEndpoint();
            String serviceName = application.getName().orElse("junction");
            provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                    .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build())
                    .build();
            openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        } else {
            provider = null;
            openTelemetry = OpenTelemetry.noop();
        }
        tracer = openTelemetry.getTracer("dev.junction.platform");
    }

    /** True when spans are recorded and exported. */
    public boolean enabled() {
        return provider != null;
    }

    /**
     * Runs {@code work} in a span named {@code name} (a child of the current span, if any), with
     * {@code attributes} as pairs of key and value; an exception marks the span as failed and is rethrown.
     */
    public <T, E extends Exception> T span(String name, Work<T, E> work, String... attributes) throws E {
        Span span = tracer.spanBuilder(name).startSpan();
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                span.setAttribute(attributes[i], attributes[i + 1]);
            }
        }
        String previousTrace = MDC.get("trace_id");
        String previousSpan = MDC.get("span_id");
        try (Scope ignored = span.makeCurrent()) {
            if (span.getSpanContext().isValid()) {
                MDC.put("trace_id", span.getSpanContext().getTraceId());
                MDC.put("span_id", span.getSpanContext().getSpanId());
            }
            return work.run();
        } catch (Exception | Error e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
            restore("trace_id", previousTrace);
            restore("span_id", previousSpan);
        }
    }

    /**
     * {@code task} as it should run on another thread: inside the current span (its vendor calls
     * become part of the trace) and with the caller's logging MDC.
     */
    public <T> Callable<T> carryOver(Callable<T> task) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Callable<T> withContext = Context.current().wrap(task);
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                return withContext.call();
            } finally {
                if (before == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(before);
                }
            }
        };
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @PreDestroy
    void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
