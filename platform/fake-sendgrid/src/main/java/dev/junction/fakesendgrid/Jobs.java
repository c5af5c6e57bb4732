package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asynchronous work: contact import (upsert) and delete jobs, list-membership removals, and contact
 * exports. Import and delete jobs run in submission order on one thread, each after the configured delay;
 * exports are written by a separate worker to gzip files in a temporary directory.
 */
final class Jobs implements AutoCloseable {
    /** An import (upsert) or delete job, as {@code GET /v3/marketing/contacts/imports/{id}} shows it. */
    static final class ImportJob {
        final String id = UUID.randomUUID().toString();
        final String jobType;
        final long startedAt = System.currentTimeMillis();
        final int requested;
        volatile String status = "pending";
        volatile long finishedAt;
        volatile int created;
        volatile int updated;
        volatile int deleted;
        volatile int errored;
        final List<ObjectNode> errors = new ArrayList<>();

        ImportJob(String jobType, int requested) {
            this.jobType = jobType;
            this.requested = requested;
        }
    }

    /** A contact export. */
    static final class ExportJob {
        final String id = UUID.randomUUID().toString();
        final long createdAt = System.currentTimeMillis();
        final String fileType;
        final List<String> listIds;
        final List<String> segmentIds;
        final long maxFileBytes;
        volatile String status = "pending";
        volatile long updatedAt = createdAt;
        volatile long completedAt;
        volatile List<Path> files = List.of();
        volatile long contactCount;
        volatile String message;

        ExportJob(String fileType, List<String> listIds, List<String> segmentIds, long maxFileBytes) {
            this.fileType = fileType;
            this.listIds = listIds;
            this.segmentIds = segmentIds;
            this.maxFileBytes = maxFileBytes;
        }

        String exportType() {
            return !listIds.isEmpty() ? "list_export" : !segmentIds.isEmpty() ? "segment_export" : "contacts_export";
        }
    }

    private final Store store;
    private final Duration importDelay;
    private final Duration exportDelay;
    private final ScheduledExecutorService sequential;
    private final ExecutorService exporters;
    final Map<String, ImportJob> imports = new ConcurrentHashMap<>();
    final Map<String, ExportJob> exports = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Deque<FakeSendGrid.ImportFailure> forcedFailures = new ArrayDeque<>();
    private final Deque<String> forcedExportFailures = new ArrayDeque<>();
    /** Whether JSON export lines carry {@code list_ids} and {@code segment_ids} (see FakeSendGrid#jsonExportListIds). */
    volatile boolean jsonListIds;
    private final Path dir;
    private final ExportWriter writer;
    private volatile int generation;

    Jobs(Store store, Duration importDelay, Duration exportDelay) {
        this.store = store;
        this.importDelay = importDelay;
        this.exportDelay = exportDelay;
        this.sequential = Executors.newSingleThreadScheduledExecutor(daemon("fake-sendgrid-jobs"));
        this.exporters = Executors.newCachedThreadPool(daemon("fake-sendgrid-export"));
        try {
            this.dir = Files.createTempDirectory("fake-sendgrid-");
            this.writer = new ExportWriter(store, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    void forceNextImport(FakeSendGrid.ImportFailure failure) {
        synchronized (forcedFailures) {
            forcedFailures.add(failure);
        }
    }

    void forceNextExportFailure(String message) {
        synchronized (forcedExportFailures) {
            forcedExportFailures.add(message);
        }
    }

    /** Forgets all jobs; running work of the old generation is discarded. */
    void reset() {
        generation++;
        synchronized (forcedFailures) {
            forcedFailures.clear();
        }
        synchronized (forcedExportFailures) {
            forcedExportFailures.clear();
        }
        jsonListIds = false;
        imports.clear();
        for (ExportJob e : exports.values()) {
            deleteFiles(e);
        }
        exports.clear();
    }

    /** Waits until no job is pending or running; returns false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    // ------------------------------------------------------------------ import / delete

    /** Queues an upsert of the given contacts (a JSON array) into the given lists. */
    ImportJob submitUpsert(JsonNode contacts, List<String> listIds) {
        ImportJob job = new ImportJob("upsert", contacts.size());
        imports.put(job.id, job);
        schedule(() -> runUpsert(job, contacts, listIds));
        return job;
    }

    /** Queues a contact deletion (ids, or all contacts when ids is null). */
    ImportJob submitDelete(List<String> ids) {
        ImportJob job = new ImportJob("delete", ids == null ? store.byId.size() : ids.size());
        imports.put(job.id, job);
        schedule(() -> {
            int n = ids == null ? store.deleteAllContacts() : store.deleteContacts(ids);
            job.deleted = n;
            finish(job);
        });
        return job;
    }

    /** Queues removal of list memberships; returns the job id (not queryable, as in SendGrid's docs). */
    String submitListRemoval(String listId, Collection<String> contactIds) {
        schedule(() -> store.removeFromList(listId, contactIds));
        return UUID.randomUUID().toString();
    }

    private void schedule(Runnable work) {
        int gen = generation;
        pending.incrementAndGet();
        sequential.schedule(() -> {
            try {
                if (gen == generation) {
                    work.run();
                }
            } finally {
                pending.decrementAndGet();
            }
        }, importDelay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void runUpsert(ImportJob job, JsonNode contacts, List<String> listIds) {
        FakeSendGrid.ImportFailure forced;
        synchronized (forcedFailures) {
            forced = forcedFailures.poll();
        }
        long now = System.currentTimeMillis();
        synchronized (store.lock) {
            for (int i = 0; i < contacts.size(); i++) {
                JsonNode node = contacts.get(i);
                String rawEmail = node.path("email").isTextual() ? node.path("email").asText() : null;
                if (forced == FakeSendGrid.ImportFailure.FAILED || (forced == FakeSendGrid.ImportFailure.ERRORED && i == 0)) {
                    error(job, i, rawEmail, "injected failure (FakeSendGrid.failNextImport)");
                    continue;
                }
                try {
                    Store.ContactInput in = ContactParser.parse(node, store.fields);
                    if (store.upsert(in, listIds, now) == Store.Outcome.CREATED) {
                        job.created++;
                    } else {
                        job.updated++;
                    }
                } catch (IllegalArgumentException e) {
                    error(job, i, rawEmail, e.getMessage());
                }
            }
        }
        finish(job);
    }

    private static void error(ImportJob job, int index, String email, String message) {
        ObjectNode e = Json.object();
        e.put("index", index);
        if (email == null) {
            e.putNull("email");
        } else {
            e.put("email", email);
        }
        e.put("message", message);
        synchronized (job.errors) {
            job.errors.add(e);
        }
        job.errored++;
    }

    private static void finish(ImportJob job) {
        job.finishedAt = System.currentTimeMillis();
        if (job.errored == 0) {
            job.status = "completed";
        } else if (job.errored >= job.requested) {
            job.status = "failed";
        } else {
            job.status = "errored";
        }
    }

    // ------------------------------------------------------------------ export

    ExportJob submitExport(String fileType, List<String> listIds, List<String> segmentIds, long maxFileBytes) {
        ExportJob job = new ExportJob(fileType, listIds, segmentIds, maxFileBytes);
        exports.put(job.id, job);
        int gen = generation;
        pending.incrementAndGet();
        sequential.schedule(() -> exporters.execute(() -> {
            try {
                if (gen == generation) {
                    writeExport(job);
                }
            } catch (RuntimeException | IOException e) {
                job.status = "failure";
                job.message = "export failed: " + e;
                job.updatedAt = System.currentTimeMillis();
            } finally {
                pending.decrementAndGet();
            }
        }), exportDelay.toNanos(), TimeUnit.NANOSECONDS);
        return job;
    }

    /** Writes the export's files ({@link ExportWriter}) unless a forced failure is queued. */
    private void writeExport(ExportJob job) throws IOException {
        String forced;
        synchronized (forcedExportFailures) {
            forced = forcedExportFailures.poll();
        }
        if (forced != null) {
            job.message = forced;
            job.updatedAt = System.currentTimeMillis();
            job.status = "failure";
            return;
        }
        writer.write(job, jsonListIds);
    }

    Path file(String name) {
        Path p = dir.resolve(name).normalize();
        return p.startsWith(dir) && Files.isRegularFile(p) ? p : null;
    }

    private static void deleteFiles(ExportJob job) {
        for (Path p : job.files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    @Override
    public void close() {
        generation++;
        sequential.shutdownNow();
        exporters.shutdownNow();
        for (ExportJob e : exports.values()) {
            deleteFiles(e);
        }
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // best effort
        }
    }

    static Set<String> unknown(Collection<String> ids, Map<String, ?> known) {
        Set<String> out = new HashSet<>();
        for (String id : ids) {
            if (!known.containsKey(id)) {
                out.add(id);
            }
        }
        return out;
    }
}
