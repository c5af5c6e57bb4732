package dev.junction.fakesendgrid;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The injected faults still to fire, in injection order, and the latch that releases hung requests. */
final class ActiveFaults {

    private static final class Active {
        final Fault fault;
        int remaining;

        Active(Fault fault) {
            this.fault = fault;
            this.remaining = fault.times;
        }
    }

    private final List<Active> faults = new ArrayList<>();
    private volatile CountDownLatch hangRelease = new CountDownLatch(1);

    void inject(Fault fault) {
        synchronized (faults) {
            faults.add(new Active(fault));
        }
    }

    /** Forgets every fault and releases the requests held by {@link Fault#hang()}. */
    void clear() {
        synchronized (faults) {
            faults.clear();
        }
        CountDownLatch old = hangRelease;
        hangRelease = new CountDownLatch(1);
        old.countDown();
    }

    /** The first fault matching the request, counted as fired once; null when none matches. */
    Fault take(String method, String path) {
        synchronized (faults) {
            for (int i = 0; i < faults.size(); i++) {
                Active f = faults.get(i);
                if (f.fault.matches(method, path)) {
                    if (--f.remaining <= 0) {
                        faults.remove(i);
                    }
                    return f.fault;
                }
            }
        }
        return null;
    }

    /** Holds a hung request until {@link #clear()} or the timeout. */
    void awaitRelease(Duration timeout) throws InterruptedException {
        hangRelease.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
