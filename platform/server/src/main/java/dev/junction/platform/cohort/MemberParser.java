package dev.junction.platform.cohort;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.PostgresText;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads an uploaded member snapshot line by line: NDJSON (one JSON object per line) or CSV with a
 * header row. Standard fields are {@code user_id}, {@code email}, {@code first_name} and
 * {@code last_name}; every other field becomes a trait. A member needs a user id or an e-mail.
 * Bad lines are skipped and reported with their line number; nothing is held but the current line.
 */
final class MemberParser implements Iterator<MemberRow> {

    /** Bad lines reported in detail (all are counted). */
    static final int MAX_REPORTED_ERRORS = 100;
    static final int MAX_FIELD_LENGTH = 1000;
    private static final ObjectMapper JSON = PlatformJson.MAPPER;
    private static final Set<String> STANDARD = Set.of("user_id", "email", "first_name", "last_name");

    /** A bad line. */
    record LineError(long line, String reason) { }

    private final Iterator<Line> lines;
    private final List<LineError> errors = new ArrayList<>();
    private long badLines;
    private long goodLines;
    private MemberRow next;

    private record Line(long number, Map<String, Object> fields, String error) { }

    private MemberParser(Iterator<Line> lines) {
        this.lines = lines;
    }

    /** A parser for the media type, or 415. */
    static MemberParser of(String contentType, InputStream body) {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
        Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl")) {
            return new MemberParser(ndjson(new BufferedReader(reader, 64 * 1024)));
        }
        if (type.startsWith("text/csv")) {
            return new MemberParser(csv(reader));
        }
        throw new ApiException(io.micronaut.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", "Send members as application/x-ndjson or text/csv", List.of());
    }

    private static Iterator<Line> ndjson(BufferedReader reader) {
        return new Iterator<>() {
            private long number;
            private String pending = read();

            private String read() {
                try {
                    String l;
                    do {
                        l = reader.readLine();
                        number++;
                    } while (l != null && l.isBlank());
                    return l;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Line next() {
                String text = pending;
                long at = number;
                pending = read();
                try {
                    JsonNode node = JSON.readTree(text);
                    if (!(node instanceof ObjectNode)) {
                        return new Line(at, null, "not a JSON object");
                    }
                    return new Line(at, JSON.convertValue(node, Map.class), null);
                } catch (JsonProcessingException e) {
                    return new Line(at, null, "not valid JSON");
                }
            }
        };
    }

    private static Iterator<Line> csv(Reader reader) {
        CSVParser parser;
        try {
            parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                    .setTrim(true).get().parse(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("The CSV header row could not be read: " + e.getMessage());
        }
        Iterator<CSVRecord> records = parser.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return records.hasNext();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw ApiException.badRequest("The CSV is malformed near line " + parser.getCurrentLineNumber()
                            + " (an unclosed quote?); nothing was changed");
                }
            }

            @Override
            public Line next() {
                CSVRecord r;
                try {
                    r = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw ApiException.badRequest("The CSV is malformed near line " + parser.getCurrentLineNumber()
                            + " (an unclosed quote?); nothing was changed");
                }
                long line = r.getRecordNumber() + 1; // the header is line 1
                if (!r.isConsistent()) {
                    return new Line(line, null, "has " + r.size() + " fields, the header has " + parser.getHeaderNames().size());
                }
                Map<String, Object> fields = new java.util.LinkedHashMap<>();
                r.toMap().forEach((k, v) -> {
                    if (v != null && !v.isEmpty()) {
                        fields.put(k, v);
                    }
                });
                return new Line(line, fields, null);
            }
        };
    }

    @Override
    public boolean hasNext() {
        while (next == null && lines.hasNext()) {
            Line line = lines.next();
            // text PostgreSQL cannot store fails the whole upload (its transaction rolls back), so
            // a snapshot is never stored with a silently altered or dropped member
            PostgresText.problemIn(line.fields()).ifPresent(why -> {
                throw PostgresText.refused("Line " + line.number(), why);
            });
            String problem = line.error() != null ? line.error() : null;
            MemberRow row = null;
            if (problem == null) {
                try {
                    row = toRow(line.fields());
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
            if (problem != null) {
                badLines++;
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add(new LineError(line.number(), problem));
                }
            } else {
                goodLines++;
                next = row;
            }
        }
        return next != null;
    }

    @Override
    public MemberRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        MemberRow r = next;
        next = null;
        return r;
    }

    /** One member from one line's fields; IllegalArgumentException says why it is bad. */
    static MemberRow toRow(Map<String, Object> fields) {
        String userId = text(fields, "user_id");
        String email = text(fields, "email");
        String normalised = EmailRules.normalise(email);
        if ((userId == null || userId.isBlank()) && (normalised == null || normalised.isEmpty())) {
            throw new IllegalArgumentException("needs a user_id or an email");
        }
        ObjectNode traits = JSON.createObjectNode();
        fields.forEach((k, v) -> {
            if (!STANDARD.contains(k) && v != null) {
                traits.set(k, JSON.valueToTree(v));
            }
        });
        String key = userId != null && !userId.isBlank() ? userId : "email:" + normalised;
        try {
            return new MemberRow(key, userId, email == null ? null : email.strip(), text(fields, "first_name"),
                    text(fields, "last_name"), JSON.writeValueAsString(traits));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("traits cannot be stored");
        }
    }

    private static String text(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String || v instanceof Number)) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        String s = String.valueOf(v);
        if (s.length() > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_FIELD_LENGTH + " characters");
        }
        return s;
    }

    List<LineError> errors() {
        return List.copyOf(errors);
    }

    long badLines() {
        return badLines;
    }

    long goodLines() {
        return goodLines;
    }
}
