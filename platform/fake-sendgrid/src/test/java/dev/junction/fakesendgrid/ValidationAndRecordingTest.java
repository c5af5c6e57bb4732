package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ValidationAndRecordingTest extends FakeSendGridTestBase {

    /** Tests here switch the mode; each starts strict (runs after the base's reset). */
    @BeforeEach
    void strict() {
        fake.setValidationMode(ValidationMode.STRICT);
    }

    @Test
    @DisplayName("a wrongly typed body is a violation and 400 in strict mode (400 shape: G2)")
    void aWronglyTypedBodyIsAViolationAnd400InStrictMode() {
        Client.Response r = client.put("/v3/marketing/contacts", "{\"contacts\":[{\"email\":123}]}");
        assertEquals(400, r.status());
        assertEquals("true", r.header("X-Fake-SendGrid-Violation"));
        String message = r.json().at("/errors/0/message").asText();
        assertTrue(message.contains("UpdateContact") && message.contains("/contacts/0/email"), message);
        List<SpecViolation> v = fake.violations();
        assertEquals(1, v.size());
        assertEquals("UpdateContact", v.get(0).operationId());
        assertEquals("PUT", v.get(0).method());
        assertThrows(AssertionError.class, fake::assertNoViolations);
    }

    @Test
    void moreViolationsTheSpecCatches() {
        assertEquals(400, client.put("/v3/marketing/contacts", "{\"contacts\":\"not an array\"}").status());
        assertEquals(400, client.put("/v3/marketing/contacts",
                "{\"list_ids\":[\"not-a-uuid\"],\"contacts\":[{\"email\":\"a@example.com\"}]}").status());
        assertEquals(400, client.put("/v3/marketing/contacts",
                "{\"contacts\":[{\"email\":\"a@example.com\",\"first_name\":\"" + "x".repeat(51) + "\"}]}").status());
        assertEquals(400, client.post("/v3/marketing/contacts/search/emails", "{\"emails\":[1]}").status());
        assertEquals(400, client.get("/v3/marketing/lists?page_size=abc").status());
        assertEquals(400, client.send("PUT", "/v3/marketing/contacts", "not json").status());
        assertEquals(6, fake.violations().size());
    }

    @Test
    void reportModeRecordsButLetsTheRequestThrough() {
        fake.setValidationMode(ValidationMode.REPORT);
        Client.Response r = client.put("/v3/marketing/contacts",
                "{\"contacts\":[{\"email\":\"a@example.com\",\"first_name\":\"" + "x".repeat(51) + "\"}]}");
        assertEquals(202, r.status());
        assertEquals(1, fake.violations().size());
        assertTrue(fake.violations().get(0).problems().get(0).contains("first_name"), fake.violations().toString());
    }

    @Test
    void validationOffChecksNothingButTheBusinessRules() {
        fake.setValidationMode(ValidationMode.OFF);
        assertEquals(202, client.put("/v3/marketing/contacts",
                "{\"contacts\":[{\"email\":\"a@example.com\",\"first_name\":\"" + "x".repeat(51) + "\"}]}").status());
        assertEquals(404, client.get("/v3/marketing/nothing-here").status());
        assertEquals(List.of(), fake.violations());
    }

    @Test
    @DisplayName("unknown paths are 404/405, unmodeled operations 501 (messages: G2)")
    void unknownPathsAndUnmodeledOperations() {
        assertEquals(404, client.get("/v3/marketing/nothing-here").status());
        assertEquals(405, client.send("POST", "/v3/marketing/contacts/count", "{}").status());
        Client.Response search = client.post("/v3/marketing/contacts/search", "{\"query\":\"email LIKE 'a%'\"}");
        assertEquals(501, search.status(), "in the spec but not modeled");
        assertTrue(search.text().contains("SearchContact"));
        assertEquals(2, fake.violations().size());
    }

    @Test
    void validRequestsProduceNoViolations() {
        String listId = client.post("/v3/marketing/lists", "{\"name\":\"x\"}").json().get("id").asText();
        client.put("/v3/marketing/contacts", Client.contactsBody(10, listId));
        client.get("/v3/marketing/lists?page_size=10");
        client.get("/v3/scopes");
        client.post("/v3/marketing/contacts/exports", "{\"file_type\":\"json\",\"list_ids\":[\"" + listId + "\"]}");
        client.get("/v3/marketing/field_definitions");
        client.get("/v3/marketing/segments/2.0");
        fake.assertNoViolations();
    }

    @Test
    void requestsAreRecordedWithTheAuthorizationMasked() {
        String body = Client.contactsBody(3, null);
        client.put("/v3/marketing/contacts", body);
        client.get("/v3/marketing/lists?page_size=5");
        List<RecordedRequest> all = fake.requests();
        assertEquals(2, all.size());
        RecordedRequest put = all.get(0);
        assertEquals("PUT", put.method());
        assertEquals("/v3/marketing/contacts", put.path());
        assertEquals(202, put.status());
        assertEquals(3, put.batchSize());
        assertEquals(body, put.bodyText());
        assertFalse(put.bodyTruncated());
        assertEquals("Bearer ***", put.header("Authorization"));
        assertFalse(put.headers().toString().contains(fake.defaultApiKey()));
        assertTrue(put.duration().toNanos() > 0);
        assertEquals("5", all.get(1).queryParam("page_size"));
        assertNull(all.get(1).queryParam("page_token"));
        assertEquals(-1, all.get(1).batchSize());
        assertEquals(1, fake.requests("get", "/v3/marketing/lists").size());
        fake.clearRequests();
        assertEquals(List.of(), fake.requests());
    }

    @Test
    void bodyRecordingIsLimited() {
        try (FakeSendGrid small = FakeSendGrid.builder().recordBodyLimit(10).start()) {
            new Client(small).put("/v3/marketing/contacts", Client.contactsBody(2, null));
            RecordedRequest r = small.requests().get(0);
            assertEquals(10, r.body().length);
            assertTrue(r.bodyTruncated());
            assertTrue(r.bodySize() > 10);
            assertEquals(2, r.batchSize());
        }
    }
}
