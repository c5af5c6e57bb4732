package dev.junction.platform.support.contract;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where every exchange of the test clients goes: {@code support.Api} and {@code support.SseClient}
 * hand each one here, it is checked against the contract at once (a few milliseconds), and the
 * violations wait for {@link ContractExtension}, which fails the test that made them. At the end of
 * the run it writes which operations the tests exercised, with which statuses, to
 * {@code target/contract-coverage.txt}.
 */
public final class ContractRecorder implements LauncherSessionListener {

    private static final ConcurrentLinkedQueue<String> PENDING = new ConcurrentLinkedQueue<>();
    private static final Map<String, Map<Integer, AtomicInteger>> COVERAGE = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<String> OUTSIDE = new ConcurrentLinkedQueue<>();
    private static volatile ContractValidator validator;

    private static ContractValidator validator() {
        if (validator == null) {
            synchronized (ContractRecorder.class) {
                if (validator == null) {
                    validator = new ContractValidator(Contract.get());
                }
            }
        }
        return validator;
    }

    private static final ThreadLocal<Exchange> LAST = new ThreadLocal<>();

    /** The last exchange this thread recorded (for tests of the check itself). */
    public static Exchange last() {
        return LAST.get();
    }

    /** Checks an exchange; its violations, if any, fail the current test. */
    public static void record(Exchange x) {
        LAST.set(x);
        List<String> violations;
        try {
            violations = validator().validate(x);
        } catch (RuntimeException e) {
            violations = List.of("the contract check itself failed: " + e);
        }
        Contract.get().find(x.method(), x.uri().getRawPath()).ifPresent(m -> COVERAGE
                .computeIfAbsent(m.operation().method() + " " + m.operation().template(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(x.status(), k -> new AtomicInteger()).incrementAndGet());
        for (String v : violations) {
            PENDING.add(x.describe() + ": " + v);
        }
    }

    /** A violation found outside an HTTP exchange (an SSE message against its schema). */
    public static void violation(String description) {
        PENDING.add(description);
    }

    /** An exchange a test made outside the contract on purpose (an unknown path to see the 404). */
    public static void outside(Exchange x, String reason) {
        OUTSIDE.add(x.describe() + " (" + reason + ")");
    }

    /** The violations since the last call, and forgets them. */
    public static List<String> drain() {
        List<String> out = new ArrayList<>();
        for (String v; (v = PENDING.poll()) != null; ) {
            out.add(v);
        }
        return out;
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (COVERAGE.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder("# Operations of ui-contract/openapi.yaml exercised by this test run\n"
                + "# (operation: status x calls); '-' = not exercised\n");
        Map<String, String> lines = new TreeMap<>();
        for (Contract.Operation op : Contract.get().operations()) {
            Map<Integer, AtomicInteger> seen = COVERAGE.get(op.method() + " " + op.template());
            lines.put(op.template() + " " + op.method(), op.method() + " " + op.template() + ": "
                    + (seen == null ? "-" : new TreeMap<>(seen).toString()));
        }
        lines.values().forEach(l -> b.append(l).append('\n'));
        b.append("\n# Exchanges made outside the contract on purpose\n");
        OUTSIDE.forEach(o -> b.append(o).append('\n'));
        try {
            Path out = Path.of("target", "contract-coverage.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
