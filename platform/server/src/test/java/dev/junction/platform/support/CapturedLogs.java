package dev.junction.platform.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps every log event of the test JVM in memory, rendered with exceptions and stack frames, so
 * tests can assert that no secret ever reaches a log line.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            b.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                b.append('\n').append(frame.getSTEAsString());
            }
        }
        LINES.add(b.toString());
    }

    /** Every captured line so far. */
    public static List<String> lines() {
        return new ArrayList<>(LINES);
    }

    /** The captured lines that contain {@code needle}. */
    public static List<String> containing(String needle) {
        return LINES.stream().filter(l -> l.contains(needle)).toList();
    }
}
