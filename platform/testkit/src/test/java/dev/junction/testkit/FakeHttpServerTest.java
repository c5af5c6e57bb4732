package dev.junction.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeHttpServerTest {

    private final FakeHttpServer vendor = FakeHttpServer.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        vendor.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vendor.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void patternsMatchOneSegmentAndExactPathsWin() throws Exception {
        vendor.on("GET", "/v3/marketing/lists/{id}").answer(r -> FakeHttpServer.Response.json(200,
                "{\"id\":\"" + r.pathParam("id") + "\"}"));
        vendor.on("GET", "/v3/marketing/lists/{id}/contacts/{contact}").respond(200, "{\"deep\":true}");
        vendor.on("GET", "/v3/marketing/lists/count").respond(200, "{\"count\":2}");

        assertEquals("{\"id\":\"abc\"}", send("GET", "/v3/marketing/lists/abc", null).body());
        assertEquals("{\"count\":2}", send("GET", "/v3/marketing/lists/count", null).body());
        assertEquals("{\"deep\":true}", send("GET", "/v3/marketing/lists/abc/contacts/c1", null).body());
        assertEquals(404, send("GET", "/v3/marketing/lists/", null).statusCode(), "an empty segment is no id");
        assertEquals(404, send("DELETE", "/v3/marketing/lists/abc", null).statusCode(), "the method is part of the route");

        assertEquals(2, vendor.requests("GET", "/v3/marketing/lists/{id}").size(), "abc and count");
        assertEquals(Map.of("id", "abc", "contact", "c1"),
                vendor.requests("GET", "/v3/marketing/lists/abc/contacts/c1").get(0).pathParams());
    }

    @Test
    void answersAreComputedFromTheRequestAndTheLastOneRepeats() throws Exception {
        vendor.on("PUT", "/v3/marketing/contacts")
                .respond(429, "", "Retry-After", "1")
                .answer(r -> FakeHttpServer.Response.of(202,
                        "{\"accepted\":" + r.json().path("contacts").size() + "}", "X-Query", String.valueOf(r.queryParam("mode"))));

        assertEquals(429, send("PUT", "/v3/marketing/contacts", "{}").statusCode());
        HttpResponse<String> second = send("PUT", "/v3/marketing/contacts?mode=a%20b", "{\"contacts\":[{},{}]}");
        HttpResponse<String> third = send("PUT", "/v3/marketing/contacts", "{\"contacts\":[{}]}");

        assertEquals("{\"accepted\":2}", second.body());
        assertEquals("a b", second.headers().firstValue("X-Query").orElseThrow());
        assertEquals("{\"accepted\":1}", third.body());
        assertEquals("null", third.headers().firstValue("X-Query").orElseThrow());
    }

    @Test
    void aFailingAnswerIsA500ThatNamesTheFailure() throws Exception {
        vendor.on("GET", "/boom").answer(r -> {
            throw new IllegalStateException("scripted bug");
        });
        HttpResponse<String> r = send("GET", "/boom", null);
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("scripted bug"), r.body());
    }

    @Test
    void jsonReadsTheRecordedBody() throws Exception {
        vendor.on("POST", "/things").respond(201, "{}");
        send("POST", "/things", "{\"name\":\"ada\",\"tags\":[\"x\"]}");
        send("POST", "/things", "not json");
        send("POST", "/things", null);

        FakeHttpServer.Request first = vendor.requests("POST", "/things").get(0);
        assertEquals("ada", first.json().path("name").asText());
        assertEquals("x", first.json().path("tags").path(0).asText());
        assertThrows(AssertionError.class, () -> vendor.requests("POST", "/things").get(1).json());
        assertTrue(vendor.requests("POST", "/things").get(2).json().isMissingNode());
    }
}
