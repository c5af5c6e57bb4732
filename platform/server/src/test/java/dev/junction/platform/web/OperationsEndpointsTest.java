package dev.junction.platform.web;

import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(transactional = false)
class OperationsEndpointsTest extends ApiTestBase {

    @Test
    void healthIsPublicAndIncludesTheDatabase() {
        Api.Response health = api().get("/health");
        assertEquals(200, health.status(), health.toString());
        assertEquals("UP", health.json().get("status").asText());
        assertEquals(200, api().get("/health/liveness").status());
        assertEquals(200, api().get("/health/readiness").status());
        Api.Response detailed = platformAdmin().get("/health");
        assertEquals("reachable", detailed.json().at("/details/readiness/details/database").asText(), detailed.toString());
    }

    @Test
    void prometheusIsPublic() {
        Api.Response r = api().get("/prometheus");
        assertEquals(200, r.status());
        assertTrue(r.body().contains("jvm_memory_used_bytes"), r.body().substring(0, Math.min(300, r.body().length())));
    }
}
