package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakevendor.VendorTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for the tests: Klaviyo's headers by default, JSON bodies, parsed answers. */
final class Client extends VendorTestClient<Client.Response> {
    /** An answer: status, headers, body text and parsed JSON (missing node when empty). */
    record Response(int status, java.net.http.HttpHeaders headers, String text, JsonNode json) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String errorDetail() {
            return json.path("errors").path(0).path("detail").asText();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    private final String baseUrl;
    private String key;
    private String revision = FakeKlaviyo.revision();
    private String contentType = JsonApi.MEDIA_TYPE;

    Client(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    Client key(String value) {
        this.key = value;
        return this;
    }

    Client revision(String value) {
        this.revision = value;
        return this;
    }

    Client contentType(String value) {
        this.contentType = value;
        return this;
    }

    @Override
    public Response send(String method, String path, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (key != null) {
            headers.put("Authorization", "Klaviyo-API-Key " + key);
        }
        if (revision != null) {
            headers.put("revision", revision);
        }
        if (body != null && contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.put("Accept", JsonApi.MEDIA_TYPE);
        HttpResponse<byte[]> r = exchange(method, URI.create(baseUrl + path), headers,
                body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        String text = new String(r.body(), StandardCharsets.UTF_8);
        try {
            JsonNode json = text.isEmpty() ? JsonApi.MAPPER.missingNode() : JsonApi.MAPPER.readTree(text);
            return new Response(r.statusCode(), r.headers(), text, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code q} with JSON-ish quotes: single quotes become double quotes (keeps test bodies readable). */
    static String json(String q) {
        return q.replace('\'', '"');
    }
}
