package dev.junction.fakesendgrid;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

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
  private volatile int generation;

  Jobs(Store store, Duration importDelay, Duration exportDelay) {
    this.store = store;
    this.importDelay = importDelay;
    this.exportDelay = exportDelay;
    this.sequential = Executors.newSingleThreadScheduledExecutor(daemon("fake-sendgrid-jobs"));
    this.exporters = Executors.newCachedThreadPool(daemon("fake-sendgrid-export"));
    try {
      this.dir = Files.createTempDirectory("fake-sendgrid-");
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
          Store.ContactInput in = store.parseContact(node);
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

  /** Streams the selected contacts into gzip files, starting a new file before one would exceed the size limit. */
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
    Iterable<Store.Contact> selected = select(job);
    long count = 0;
    List<String> customIds = new ArrayList<>(store.fields.keySet());
    customIds.sort(Comparator.naturalOrder());
    List<Path> files = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    byte[] header = "csv".equals(job.fileType) ? csvHeader(customIds) : new byte[0];
    OutputStream out = null;
    long written = 0;
    JsonGenerator g = EXPORT_JSON.createGenerator(line, JsonEncoding.UTF8);
    Times times = new Times();
    for (Store.Contact c : selected) {
      count++;
      line.reset();
      if ("csv".equals(job.fileType)) {
        csvLine(c, customIds, times, line);
      } else {
        jsonLine(c, g, times, line);
      }
      if (out == null || (written > header.length && written + line.size() > job.maxFileBytes)) {
        if (out != null) {
          out.close();
        }
        Path file = dir.resolve(job.id + "-" + (files.size() + 1) + "." + job.fileType + ".gzip");
        files.add(file);
        out = gzip(file);
        out.write(header);
        written = header.length;
      }
      line.writeTo(out);
      written += line.size();
    }
    if (out == null) {
      Path file = dir.resolve(job.id + "-1." + job.fileType + ".gzip");
      files.add(file);
      out = gzip(file);
      out.write(header);
    }
    out.close();
    g.close();
    job.files = List.copyOf(files);
    job.contactCount = count;
    job.completedAt = System.currentTimeMillis();
    job.updatedAt = job.completedAt;
    job.status = "ready";
  }

  /**
   * The contacts to export, iterated lazily: all contacts, one list's members, or (for several lists or
   * segments) the union, de-duplicated through a set of ids.
   */
  private Iterable<Store.Contact> select(ExportJob job) {
    if (job.listIds.isEmpty() && job.segmentIds.isEmpty()) {
      return store.byId.values();
    }
    Collection<String> ids;
    if (job.listIds.size() == 1 && job.segmentIds.isEmpty()) {
      Store.ListRec list = store.lists.get(job.listIds.get(0));
      ids = list == null ? List.of() : list.members;
    } else {
      Set<String> union = new LinkedHashSet<>();
      for (String listId : job.listIds) {
        Store.ListRec list = store.lists.get(listId);
        if (list != null) {
          union.addAll(list.members);
        }
      }
      for (String segmentId : job.segmentIds) {
        Store.SegmentRec seg = store.segments.get(segmentId);
        if (seg != null) {
          union.addAll(seg.contactIds);
        }
      }
      ids = union;
    }
    return () -> ids.stream().map(store.byId::get).filter(java.util.Objects::nonNull).iterator();
  }

  private static OutputStream gzip(Path file) throws IOException {
    return new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }

  /** No separator between root values: each line is written and measured on its own. */
  private static final com.fasterxml.jackson.core.JsonFactory EXPORT_JSON =
      new com.fasterxml.jackson.core.JsonFactoryBuilder().rootValueSeparator((String) null).build();

  /** Formats epoch millis as SendGrid timestamps, remembering the last few seconds formatted. */
  private static final class Times {
    private long lastSecond = Long.MIN_VALUE;
    private String last;

    String format(long epochMillis) {
      long second = Math.floorDiv(epochMillis, 1000);
      if (second != lastSecond) {
        lastSecond = second;
        last = Json.time(epochMillis);
      }
      return last;
    }
  }

  /** One NDJSON line: the shape SendGrid's JSON exports use ({@code contact_id}, custom fields by name). */
  private void jsonLine(Store.Contact c, JsonGenerator g, Times times, ByteArrayOutputStream out) throws IOException {
    g.writeStartObject();
    g.writeStringField("contact_id", c.id());
    g.writeStringField("created_at", times.format(c.createdAt()));
    g.writeObjectFieldStart("custom_fields");
    if (c.custom() != null) {
      for (var e : store.customByName(c).entrySet()) {
        g.writeFieldName(e.getKey());
        Object v = e.getValue();
        if (v instanceof Long l) {
          g.writeNumber(l);
        } else if (v instanceof Double d) {
          g.writeNumber(d);
        } else {
          g.writeString(String.valueOf(v));
        }
      }
    }
    g.writeEndObject();
    g.writeStringField("email", c.email());
    if (c.alternateEmails() != null) {
      g.writeArrayFieldStart("alternate_emails");
      for (String a : c.alternateEmails()) {
        g.writeString(a);
      }
      g.writeEndArray();
    }
    for (Store.Reserved r : Store.Reserved.values()) {
      String v = c.get(r);
      if (v != null) {
        g.writeStringField(r.wire, v);
      }
    }
    if (jsonListIds) {
      idsField(g, "list_ids", List.of(c.listIds()));
      idsField(g, "segment_ids", store.segmentIdsOf(c.id()));
    }
    g.writeStringField("updated_at", times.format(c.updatedAt()));
    g.writeEndObject();
    g.flush();
    out.write('\n');
  }

  /** An array of ids, left out when empty (exports write only the fields that have values). */
  private static void idsField(JsonGenerator g, String name, List<String> ids) throws IOException {
    if (!ids.isEmpty()) {
      g.writeArrayFieldStart(name);
      for (String id : ids) {
        g.writeString(id);
      }
      g.writeEndArray();
    }
  }

  private static final List<String> CSV_COLUMNS = csvColumns();

  private static List<String> csvColumns() {
    List<String> cols = new ArrayList<>(List.of("CONTACT_ID", "EMAIL"));
    for (Store.Reserved r : Store.Reserved.values()) {
      cols.add(r.wire.toUpperCase(java.util.Locale.ROOT));
    }
    cols.addAll(List.of("ALTERNATE_EMAILS", "CREATED_AT", "UPDATED_AT"));
    return cols;
  }

  private byte[] csvHeader(List<String> customIds) {
    StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS));
    for (String id : customIds) {
      Store.FieldDef def = store.fields.get(id);
      sb.append(',').append(csv(def == null ? id : def.name()));
    }
    return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void csvLine(Store.Contact c, List<String> customIds, Times times, ByteArrayOutputStream out) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(c.id()).append(',').append(csv(c.email()));
    for (Store.Reserved r : Store.Reserved.values()) {
      sb.append(',').append(csv(c.get(r)));
    }
    sb.append(',').append(csv(c.alternateEmails() == null ? null : String.join(",", c.alternateEmails())));
    sb.append(',').append(times.format(c.createdAt())).append(',').append(times.format(c.updatedAt()));
    for (String id : customIds) {
      Object v = c.custom() == null ? null : c.custom().get(id);
      sb.append(',').append(csv(v == null ? null : String.valueOf(v)));
    }
    sb.append('\n');
    out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String csv(String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
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
