package dev.junction.platform.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import io.micronaut.http.HttpStatus;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The one rule for text PostgreSQL cannot store. {@code text} refuses U+0000, {@code jsonb} refuses
 * the NUL escape (backslash-u-0000) in keys and values alike, and a lone UTF-16 surrogate has no UTF-8 form
 * (the driver would silently store {@code ?}). Legal JSON can carry all three as backslash-u escapes,
 * so every text that reaches the API is checked here before anything is stored: the answer names
 * the field (JSON Pointer), the parameter, the line or the message.
 */
public final class PostgresText {

    /**
     * A streaming parser, so a body is checked without building a tree; duplicate keys are refused
     * here too (the API's JSON is read by Serde with the same rule, raw bodies by Jackson), and the
     * nesting is capped well above any legitimate body.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(500).build())
            .build();

    private PostgresText() {
    }

    /** Why PostgreSQL cannot store {@code s}, or empty when it can. */
    public static Optional<String> problem(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return Optional.of("contains the character U+0000 (NUL), which cannot be stored");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of("contains a lone UTF-16 surrogate (U+" + hex(c) + "), which is not Unicode text");
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("contains a lone UTF-16 surrogate (U+" + hex(c) + "), which is not Unicode text");
            }
        }
        return Optional.empty();
    }

    /** Whether PostgreSQL can store {@code s}. */
    public static boolean storable(CharSequence s) {
        return problem(s).isEmpty();
    }

    /**
     * Where a parsed value (maps, lists, strings) holds text PostgreSQL cannot store: the JSON
     * Pointer of the first bad key or string and why, or empty.
     */
    public static Optional<String> problemIn(Object value) {
        return problemIn(value, "");
    }

    private static Optional<String> problemIn(Object value, String pointer) {
        if (value instanceof CharSequence s) {
            return problem(s).map(p -> (pointer.isEmpty() ? "the value " : pointer + " ") + p);
        }
        if (value instanceof java.util.Map<?, ?> map) {
            for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                Optional<String> p = problem(key).map(why -> "a key of " + (pointer.isEmpty() ? "the object" : pointer) + " " + why)
                        .or(() -> problemIn(e.getValue(), pointer + "/" + key.replace("~", "~0").replace("/", "~1")));
                if (p.isPresent()) {
                    return p;
                }
            }
        } else if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object item : list) {
                Optional<String> p = problemIn(item, pointer + "/" + i++);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a JSON body: every key and string value must be storable and no object may repeat a
     * key. Throws a 422 naming the first bad field by its JSON Pointer (or a 400 for a repeated
     * key). A body that is not JSON is left to its endpoint, which refuses it with its own message,
     * except that a raw NUL byte is refused here.
     */
    public static void checkJson(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
                    Optional<String> problem = problem(p.getText());
                    if (problem.isPresent()) {
                        String pointer = p.getParsingContext().pathAsPointer().toString();
                        throw refused(List.of(Problem.FieldError.body(pointer.isEmpty() ? "/" : pointer,
                                (t == JsonToken.FIELD_NAME ? "The key " : "The value ") + problem.get())));
                    }
                }
            }
        } catch (JsonParseException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
                String pointer = e.getProcessor() != null ? e.getProcessor().getParsingContext().pathAsPointer().toString() : "";
                throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "Bad request",
                        "A JSON object repeats a key" + (pointer.isEmpty() ? "" : " at " + pointer), List.of());
            }
            refuseRawNul(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("The JSON body is nested too deeply");
        } catch (IOException e) {
            refuseRawNul(body);
        }
    }

    /**
     * The refusal: 400 (documented on every operation that reads input), type
     * {@code unstorable-text}, naming where the text is.
     */
    public static ApiException refused(List<Problem.FieldError> where) {
        return new ApiException(HttpStatus.BAD_REQUEST, "unstorable-text", "Text that cannot be stored",
                "The request holds text that cannot be stored (U+0000 or a lone surrogate); nothing was changed", where);
    }

    /** The refusal of a line of an upload or a message of a batch, named in the detail. */
    public static ApiException refused(String where, String why) {
        return new ApiException(HttpStatus.BAD_REQUEST, "unstorable-text", "Text that cannot be stored",
                where + ": " + why + "; nothing was changed", List.of());
    }

    private static void refuseRawNul(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                throw refused(List.of(Problem.FieldError.body("/", "The body contains a NUL byte, which cannot be stored")));
            }
        }
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
