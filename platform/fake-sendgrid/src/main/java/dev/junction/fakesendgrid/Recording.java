package dev.junction.fakesendgrid;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/** The requests the fake answered (the last {@code max} of them) and the spec violations it saw. */
final class Recording {
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();
    private final List<SpecViolation> violations = Collections.synchronizedList(new ArrayList<>());

    void add(RecordedRequest r, int max) {
        synchronized (requests) {
            requests.addLast(r);
            while (requests.size() > max) {
                requests.removeFirst();
            }
        }
    }

    void violation(SpecViolation v) {
        violations.add(v);
    }

    void clear() {
        clearRequests();
        violations.clear();
    }

    void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<SpecViolation> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** An Authorization value with its credential masked: {@code Bearer ***}. */
    static String mask(String authorization) {
        int space = authorization.indexOf(' ');
        return (space > 0 ? authorization.substring(0, space + 1) : "") + "***";
    }
}
