package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Asynchronous jobs (profile bulk import, event bulk create, subscription bulk create). G5: a job is
 * {@code queued} for {@code queued}, then {@code processing} for {@code perThousand} per 1,000 items (at least
 * one such slice) with {@code completed_count} growing in proportion, then its effects are applied at once and it
 * is {@code complete}. Item errors found at submission are reported by the import-errors endpoint.
 */
final class Jobs implements AutoCloseable {
    /** A per-item error of a job. */
    record ItemError(String id, int index, String code, String title, String detail, String pointer,
            JsonNode originalPayload) {}

    /** One job. */
    static final class Job {
        final String id;
        final String type;
        final int total;
        final Instant created;
        final Instant startAt;
        final Instant doneAt;
        final List<ItemError> errors;
        final List<String> listIds;
        final List<String> profileIds = new ArrayList<>();
        volatile boolean applied;

        Job(String id, String type, int total, Instant created, Instant startAt, Instant doneAt,
                List<ItemError> errors, List<String> listIds) {
            this.id = id;
            this.type = type;
            this.total = total;
            this.created = created;
            this.startAt = startAt;
            this.doneAt = doneAt;
            this.errors = errors;
            this.listIds = listIds;
        }

        String status(Instant now) {
            if (applied) {
                return "complete";
            }
            return now.isBefore(startAt) ? "queued" : "processing";
        }

        /** Items processed so far: in proportion while processing, all (less errors) when complete. */
        int completedCount(Instant now) {
            if (applied) {
                return total - errors.size();
            }
            if (now.isBefore(startAt)) {
                return 0;
            }
            double share = (double) Duration.between(startAt, now).toMillis()
                    / Math.max(1, Duration.between(startAt, doneAt).toMillis());
            // Never all while processing (the effects are not applied yet), never negative (all items may have failed).
            long ok = total - errors.size();
            return (int) Math.max(0, Math.min(ok - 1, (long) Math.floor(share * ok)));
        }
    }

    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-klaviyo-jobs");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration queued;
    private volatile Duration perThousand;

    Jobs(Clock clock, Duration queued, Duration perThousand) {
        this.clock = clock;
        this.queued = queued;
        this.perThousand = perThousand;
    }

    void timing(Duration newQueued, Duration newPerThousand) {
        this.queued = newQueued;
        this.perThousand = newPerThousand;
    }

    /** Submits a job whose effects {@code apply} runs (on the job thread) when it completes. */
    Job submit(String type, int total, List<ItemError> errors, List<String> listIds, Consumer<Job> apply) {
        Instant now = clock.instant();
        Instant startAt = now.plus(queued);
        long slices = Math.max(1, (total + 999) / 1000);
        Instant doneAt = startAt.plus(perThousand.multipliedBy(slices));
        String id = String.format("%s%011d", prefix(type), sequence.incrementAndGet());
        Job job = new Job(id, type, total, now, startAt, doneAt, List.copyOf(errors), List.copyOf(listIds));
        jobs.put(id, job);
        scheduler.schedule(() -> {
            try {
                apply.accept(job);
            } finally {
                job.applied = true;
                synchronized (this) {
                    notifyAll();
                }
            }
        }, Math.max(0, Duration.between(now, doneAt).toMillis()), TimeUnit.MILLISECONDS);
        return job;
    }

    private static String prefix(String type) {
        return switch (type) {
            case "profile-bulk-import-job" -> "IMPORT";
            case "event-bulk-create-job" -> "EVENTS";
            default -> "SUBSCR";
        };
    }

    Job get(String type, String id) {
        Job job = jobs.get(id);
        if (job == null || !job.type.equals(type)) {
            throw ApiException.notFound("A job with id " + id + " does not exist.");
        }
        return job;
    }

    List<Job> all(String type) {
        return jobs.values().stream().filter(j -> j.type.equals(type))
                .sorted(java.util.Comparator.comparing((Job j) -> j.id)).toList();
    }

    /** Waits until every submitted job has applied its effects. */
    synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (jobs.values().stream().anyMatch(j -> !j.applied)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
        return true;
    }

    void clear() {
        jobs.clear();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
