package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Requests are checked against Klaviyo's OpenAPI files; each violation is answered as Klaviyo does and recorded.
 * Guesses: unknown query parameters (G11), the revision (G12), content type (G15), filters (G10).
 */
class ValidationTest extends FakeKlaviyoTestBase {

    @Test
    void validRequestsLeaveNoViolations() {
        createList("Newsletter");
        Client.Response r = client.get("/api/profiles?page%5Bsize%5D=100&fields%5Bprofile%5D=email,first_name"
                + "&filter=" + enc("any(email,[\"a@example.com\",\"b@example.com\"])"));
        assertEquals(200, r.status(), r.toString());
        fake.assertNoViolations();
    }

    @Test
    void unknownPathIs404AndWrongMethod405() {
        assertEquals(404, client.get("/api/nothing-here").status());
        Client.Response r = client.send("PUT", "/api/lists", listBody("x"));
        assertEquals(405, r.status());
        assertEquals(2, fake.violations().size());
        assertThrows(AssertionError.class, fake::assertNoViolations);
    }

    @Test
    void revisionHeaderIsRequiredAndMustBeServed() {
        Client.Response missing = client.revision(null).get("/api/lists");
        assertEquals(400, missing.status());
        assertEquals("revision", missing.json().path("errors").path(0).path("source").path("parameter").asText());
        Client.Response old = client.revision("2023-02-22").get("/api/lists");
        assertEquals(400, old.status());
        assertTrue(old.errorDetail().contains("2026-07-15"), old.toString());
    }

    @Test
    void pageSizeBoundsComeFromTheSpec() {
        // get_profiles: "Default: 20. Min: 1. Max: 100."; get_lists allows at most 10.
        assertEquals(400, client.get("/api/profiles?page%5Bsize%5D=101").status());
        assertEquals(400, client.get("/api/profiles?page%5Bsize%5D=0").status());
        assertEquals(400, client.get("/api/profiles?page%5Bsize%5D=ten").status());
        assertEquals(200, client.get("/api/profiles?page%5Bsize%5D=100").status());
        Client.Response lists = client.get("/api/lists?page%5Bsize%5D=11");
        assertEquals(400, lists.status());
        assertEquals("page[size]", lists.json().path("errors").path(0).path("source").path("parameter").asText());
    }

    @Test
    void unknownQueryParametersAndSparseFieldsetsAreRefused() {
        assertEquals(400, client.get("/api/profiles?limit=5").status());
        assertEquals(400, client.get("/api/profiles?fields%5Bprofile%5D=email,shoe_size").status());
        assertEquals(200, client.get("/api/profiles?fields%5Bprofile%5D=email,properties").status());
    }

    @Test
    void filtersAreCheckedAgainstTheOperationsFields() {
        assertEquals(400, client.get("/api/profiles?filter=" + enc("equals(shoe_size,\"9\")")).status());
        // get_profiles allows `created` only with greater-than / less-than.
        assertEquals(400, client.get("/api/profiles?filter=" + enc("equals(created,2024-01-01T00:00:00Z)")).status());
        assertEquals(200, client.get("/api/profiles?filter="
                + enc("greater-than(created,2024-01-01T00:00:00Z)")).status());
        Client.Response broken = client.get("/api/profiles?filter=" + enc("equals(email,\"a@b.com\""));
        assertEquals(400, broken.status());
        assertTrue(broken.errorDetail().startsWith("Invalid filter"), broken.toString());
        // get_lists lists `name` only under "list" operators: the value must be written as a list (G10).
        assertEquals(400, client.get("/api/lists?filter=" + enc("equals(name,\"Newsletter\")")).status());
        assertEquals(200, client.get("/api/lists?filter=" + enc("any(name,[\"Newsletter\"])")).status());
    }

    @Test
    void bodiesAreValidatedAgainstTheRequestSchema() {
        Client.Response r = client.post("/api/lists", Client.json("{'data':{'type':'lists','attributes':{}}}"));
        assertEquals(400, r.status());
        assertEquals("/data/type", r.json().path("errors").path(0).path("source").path("pointer").asText());
        assertEquals("invalid", r.json().path("errors").path(0).path("code").asText());
        assertEquals(2, r.json().path("errors").size(), r.toString());
        assertEquals(400, client.post("/api/lists", "{not json").status());
        assertEquals(400, client.post("/api/lists", null).status(), "the body is required");
    }

    @Test
    void contentTypeMustBeTheOneTheSpecNames() {
        Client.Response r = client.contentType("application/json").post("/api/lists", listBody("x"));
        assertEquals(415, r.status());
        assertEquals(1, fake.violations().size());
    }

    @Test
    void reportModeRecordsButServes() {
        fake.validation(ValidationMode.REPORT);
        assertEquals(201, client.contentType("application/json").post("/api/lists", listBody("x")).status());
        assertEquals(1, fake.violations().size());
        fake.validation(ValidationMode.OFF);
        assertEquals(201, client.contentType("application/json").post("/api/lists", listBody("y")).status());
        assertEquals(1, fake.violations().size());
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
