package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the tests: Klaviyo's headers by default, JSON bodies, parsed answers. */
final class Client {
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

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response patch(String path, String body) {
        return send("PATCH", path, body);
    }

    Response delete(String path, String body) {
        return send("DELETE", path, body);
    }

    Response send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Klaviyo-API-Key " + key);
        }
        if (revision != null) {
            b.header("revision", revision);
        }
        if (body != null && contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.header("Accept", JsonApi.MEDIA_TYPE);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? JsonApi.MAPPER.missingNode() : JsonApi.MAPPER.readTree(r.body());
            return new Response(r.statusCode(), r.headers(), r.body(), json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code q} with JSON-ish quotes: single quotes become double quotes (keeps test bodies readable). */
    static String json(String q) {
        return q.replace('\'', '"');
    }
}
