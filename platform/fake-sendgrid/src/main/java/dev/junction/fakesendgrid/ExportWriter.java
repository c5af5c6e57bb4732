package dev.junction.fakesendgrid;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Writes a contact export's gzip files (JSON lines or CSV, guess G11) from the live store into the jobs' directory. */
final class ExportWriter {
    private final Store store;
    private final Path dir;

    ExportWriter(Store store, Path dir) {
        this.store = store;
        this.dir = dir;
    }

    /**
     * Streams the selected contacts into gzip files, starting a new file before one would exceed the size limit,
     * then marks the job ready.
     *
     * @param listIds whether JSON lines carry list_ids and segment_ids (FakeSendGrid#jsonExportListIds)
     */
    void write(Jobs.ExportJob job, boolean listIds) throws IOException {
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
                jsonLine(c, g, times, line, listIds);
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
    private Iterable<Store.Contact> select(Jobs.ExportJob job) {
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
    private void jsonLine(Store.Contact c, JsonGenerator g, Times times, ByteArrayOutputStream out, boolean listIds) throws IOException {
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
        for (Reserved r : Reserved.values()) {
            String v = c.get(r);
            if (v != null) {
                g.writeStringField(r.wire, v);
            }
        }
        if (listIds) {
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
        for (Reserved r : Reserved.values()) {
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
        for (Reserved r : Reserved.values()) {
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
}
