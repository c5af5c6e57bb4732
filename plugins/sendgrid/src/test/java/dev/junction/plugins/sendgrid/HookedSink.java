package dev.junction.plugins.sendgrid;

import dev.junction.spi.objects.RecordSink;

import java.util.Map;

/** A sink that passes every call on, then tells a hook, for tests that act in the middle of a pass. */
final class HookedSink implements RecordSink {

    /** Called after each call has been passed on. */
    @FunctionalInterface
    interface Hook {
        /** @param call {@code begin}, {@code upsert} or {@code complete} */
        void after(String call, String collection);
    }

    private final RecordSink sink;
    private final Hook hook;

    HookedSink(RecordSink sink, Hook hook) {
        this.sink = sink;
        this.hook = hook;
    }

    @Override
    public void begin(String collection) {
        sink.begin(collection);
        hook.after("begin", collection);
    }

    @Override
    public void upsert(String collection, Map<String, Object> columns, Map<String, Object> raw) {
        sink.upsert(collection, columns, raw);
        hook.after("upsert", collection);
    }

    @Override
    public void complete(String collection) {
        sink.complete(collection);
        hook.after("complete", collection);
    }
}
