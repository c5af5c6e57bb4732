package dev.junction.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Admin API calls of a benchmark: bearer token, optional tenant header, failure on non-2xx. */
final class AdminApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminApi() {
    }

    static String call(String method, String url, String token, String tenant, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (tenant != null) {
            b.header("X-Junction-Tenant", tenant);
        }
        LogScan.remember(token);
        LogScan.rememberFromJson(json);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        LogScan.rememberFromJson(r.body());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String get(String url, String token, String tenant) throws Exception {
        return call("GET", url, token, tenant, null);
    }
}
