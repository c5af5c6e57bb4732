package dev.junction.fakesendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.fakevendor.VendorTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tiny SendGrid client for the tests, on the JDK's HttpClient. */
final class Client extends VendorTestClient<Client.Response> {
    static final ObjectMapper MAPPER = new ObjectMapper();
  
    record Response(int status, JsonNode json, String text, HttpResponse<byte[]> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final String baseUrl;
    private final String key;

    Client(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    Client(FakeSendGrid fake) {
        this(fake.baseUrl(), fake.defaultApiKey());
    }

    Client withKey(String otherKey) {
        return new Client(baseUrl, otherKey);
    }

    @Override
    public Response send(String method, String pathOrUrl, Object body) {
        return send(method, pathOrUrl, body, Duration.ofSeconds(30));
    }

    Response send(String method, String pathOrUrl, Object body, Duration timeout) {
        try {
            byte[] bytes = body == null ? null
                    : body instanceof byte[] b ? b : body instanceof String s ? s.getBytes() : MAPPER.writeValueAsBytes(body);
            Map<String, String> headers = new LinkedHashMap<>();
            if (key != null) {
                headers.put("Authorization", "Bearer " + key);
            }
            if (bytes != null) {
                headers.put("Content-Type", "application/json");
            }
            HttpResponse<byte[]> r = exchange(method, URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl),
                    headers, bytes, timeout);
            String text = new String(r.body());
            JsonNode json = null;
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json") && r.body().length > 0) {
                json = MAPPER.readTree(r.body());
            }
            return new Response(r.statusCode(), json, text, r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls GET imports/{id} until the job is no longer pending. */
    JsonNode awaitImport(String jobId) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            Response r = get("/v3/marketing/contacts/imports/" + jobId);
            if (r.status() != 200) {
                throw new AssertionError("import status " + r.status() + " " + r.text());
            }
            if (!"pending".equals(r.json().get("status").asText())) {
                return r.json();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("import still pending");
            }
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A PUT contacts body with n contacts user{i}@example.com. */
    static String contactsBody(int n, String listId) {
        StringBuilder sb = new StringBuilder(n * 80 + 100).append('{');
        if (listId != null) {
            sb.append("\"list_ids\":[\"").append(listId).append("\"],");
        }
        sb.append("\"contacts\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"email\":\"user").append(i).append("@example.com\",\"first_name\":\"First").append(i)
                    .append("\",\"last_name\":\"Last\"}");
        }
        return sb.append("]}").toString();
    }
}
