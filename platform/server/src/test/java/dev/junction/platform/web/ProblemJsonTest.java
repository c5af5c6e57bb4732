package dev.junction.platform.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error is RFC 9457 problem+json with type, title, status and detail; never a stack trace. */
@MicronautTest(transactional = false)
class ProblemJsonTest extends ApiTestBase {

    private static void assertProblem(Api.Response r, int status) {
        assertEquals(status, r.status(), r.toString());
        assertEquals("application/problem+json", r.contentType());
        JsonNode p = r.json();
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.get("type").asText().startsWith(Problem.TYPE_BASE), p.toString());
        assertFalse(p.get("title").asText().isBlank());
        assertFalse(r.body().contains("Exception"), "no exception names: " + r);
        assertFalse(r.body().contains("\tat "), "no stack trace");
    }

    @Test
    void malformedJsonIs400() {
        Api pa = platformAdmin();
        assertProblem(pa.post("/v1/admin/tenants", "{\"slug\": "), 400);
        assertProblem(pa.post("/v1/admin/tenants", "not json at all"), 400);
        assertProblem(pa.post("/v1/admin/tenants", "[1,2]"), 400);
        assertProblem(pa.post("/v1/admin/tenants", "{\"slug\": {\"deep\": 1}, \"name\": \"x\"}"), 400);
        byte[] invalidUtf8 = {'{', '"', 's', 'l', 'u', 'g', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        Api.Response r = pa.send("POST", "/v1/admin/tenants", "application/json", invalidUtf8);
        assertTrue(r.status() == 400 || r.status() == 422, r.toString());
        assertEquals("application/problem+json", r.contentType());
    }

    @Test
    void validationIs422WithPointers() {
        Api.Response r = platformAdmin().post("/v1/admin/tenants", "{\"slug\":\"UPPER\",\"name\":\"\"}");
        assertProblem(r, 422);
        assertEquals("/name", r.json().get("errors").get(0).get("pointer").asText());
        assertEquals("/slug", r.json().get("errors").get(1).get("pointer").asText());
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() {
        String why = "what the server answers for what the API does not have";
        assertProblem(platformAdmin().outsideContract(why).get("/v1/admin/nothing-here"), 404);
        assertProblem(api().outsideContract(why).get("/nothing-here"), 404);
        assertProblem(platformAdmin().outsideContract(why)
                .send("PATCH", "/v1/admin/tenants", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 405);
    }

    @Test
    void wrongMediaTypeIs415() {
        assertProblem(platformAdmin().send("POST", "/v1/admin/tenants", "text/plain",
                "slug=a".getBytes(StandardCharsets.UTF_8)), 415);
    }

    @Test
    void tooLargeBodyIs413() {
        byte[] big = new byte[11 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        assertProblem(platformAdmin().send("POST", "/v1/admin/tenants", "application/json", big), 413);
    }
}
