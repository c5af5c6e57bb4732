package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * A handler's answer: a JSON body, no body, or a file.
 *
 * @param status the HTTP status
 * @param json the JSON body, or null
 * @param file a file to stream, or null
 * @param contentType the content type for a file
 */
record Reply(int status, JsonNode json, Path file, String contentType) {
    static Reply json(int status, JsonNode body) {
        return new Reply(status, body, null, null);
    }

    static Reply empty(int status) {
        return new Reply(status, null, null, null);
    }

    static Reply file(Path file, String contentType) {
        return new Reply(200, null, file, contentType);
    }
}
