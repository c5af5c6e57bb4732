package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ContactsTest extends FakeSendGridTestBase {
    @Override
    FakeSendGridBuilder configure(FakeSendGridBuilder builder) {
        return builder.importDelay(Duration.ofMillis(150));
    }

    private String upsert(String body) {
        Client.Response r = client.put("/v3/marketing/contacts", body);
        assertEquals(202, r.status(), r.text());
        return r.json().get("job_id").asText();
    }

    @Test
    @DisplayName("an upsert is a job that completes after the import delay (job timing: G4)")
    void upsertIsAsynchronousAndCompletesAfterTheDelay() {
        String listId = fake.createList("l").id();
        String jobId = upsert("{\"list_ids\":[\"" + listId + "\"],\"contacts\":[{\"email\":\"ann@example.com\",\"first_name\":\"Ann\"}]}");
        assertFalse(fake.contact("ann@example.com").isPresent(), "applied only after the import delay");
        JsonNode pending = client.get("/v3/marketing/contacts/imports/" + jobId).json();
        assertEquals("pending", pending.get("status").asText());
        assertEquals("upsert", pending.get("job_type").asText());

        JsonNode done = client.awaitImport(jobId);
        assertEquals("completed", done.get("status").asText());
        assertEquals(1, done.at("/results/requested_count").asInt());
        assertEquals(1, done.at("/results/created_count").asInt());
        assertEquals(0, done.at("/results/errored_count").asInt());
        assertTrue(done.has("finished_at"));
        FakeContact ann = fake.contact("ann@example.com").orElseThrow();
        assertEquals("Ann", ann.firstName());
        assertEquals(List.of(ann.email()), fake.listMembers(listId).stream().map(FakeContact::email).toList());
        fake.assertNoViolations();
    }

    @Test
    @DisplayName("e-mails are trimmed and case-insensitive, so upserts dedupe (e-mail rules: G3)")
    void emailsAreCaseInsensitiveAndTrimmedSoUpsertsDedupe() {
        client.awaitImport(upsert("{\"contacts\":[{\"email\":\"User@X.com\",\"first_name\":\"One\"}]}"));
        String id = fake.contact("user@x.com").orElseThrow().id();
        JsonNode second = client.awaitImport(upsert("{\"contacts\":[{\"email\":\"  user@X.COM \",\"last_name\":\"Two\"}]}"));
        assertEquals(1, second.at("/results/updated_count").asInt());
        assertEquals(0, second.at("/results/created_count").asInt());
        assertEquals(1, fake.contactCount());
        FakeContact c = fake.contact("USER@x.com").orElseThrow();
        assertEquals("user@x.com", c.email());
        assertEquals(id, c.id(), "the contact id is stable across upserts");
        assertEquals("One", c.firstName(), "omitted fields remain as they were");
        assertEquals("Two", c.lastName());
        assertEquals(1, client.get("/v3/marketing/contacts/count").json().get("contact_count").asInt());
    }

    @Test
    @DisplayName("invalid e-mails fail only their contact, reported through errors_url (G3, G4)")
    void invalidEmailsDoNotFailTheRequestButAreReportedThroughErrorsUrl() {
        String jobId = upsert("{\"contacts\":[{\"email\":\"good@example.com\"},{\"email\":\"not an email\"},"
                + "{\"email\":\"no-tld@localhost\"}]}");
        JsonNode job = client.awaitImport(jobId);
        assertEquals("errored", job.get("status").asText());
        assertEquals(3, job.at("/results/requested_count").asInt());
        assertEquals(1, job.at("/results/created_count").asInt());
        assertEquals(2, job.at("/results/errored_count").asInt());
        String errorsUrl = job.at("/results/errors_url").asText();
        assertTrue(errorsUrl.startsWith(fake.baseUrl()), errorsUrl);
        Client.Response errors = client.withKey(null).get(errorsUrl);
        assertEquals(200, errors.status());
        JsonNode list = errors.json().get("errors");
        assertEquals(2, list.size());
        assertEquals(1, list.get(0).get("index").asInt());
        assertEquals("not an email", list.get(0).get("email").asText());
        assertTrue(list.get(0).get("message").asText().contains("not a valid"));
        assertEquals(1, fake.contactCount());
    }

    @Test
    @DisplayName("a job whose every contact is invalid ends failed (G3, G4)")
    void allContactsInvalidMeansFailed() {
        JsonNode job = client.awaitImport(upsert("{\"contacts\":[{\"email\":\"bad@@example.com\"}]}"));
        assertEquals("failed", job.get("status").asText());
    }

    @Test
    @DisplayName("custom field values are checked when the request arrives (G7)")
    void customFieldValuesAreCheckedWhenTheRequestArrives() {
        CustomField age = fake.addCustomField("age", FieldType.NUMBER);
        CustomField since = fake.addCustomField("member_since", FieldType.DATE);
        CustomField tier = fake.addCustomField("tier", FieldType.TEXT);
        String body = "{\"contacts\":["
                + "{\"email\":\"ok@example.com\",\"custom_fields\":{\"" + age.id() + "\":42,\"" + since.id() + "\":\"2024-01-31\",\""
                + tier.id() + "\":\"gold\"}},"
                + "{\"email\":\"numstring@example.com\",\"custom_fields\":{\"" + age.id() + "\":\"7\"}},"
                + "{\"email\":\"abc@example.com\",\"custom_fields\":{\"" + age.id() + "\":\"abc\"}},"
                + "{\"email\":\"baddate@example.com\",\"custom_fields\":{\"" + since.id() + "\":\"yesterday\"}},"
                + "{\"email\":\"unknown@example.com\",\"custom_fields\":{\"e999_T\":\"x\",\"e998_N\":1}}]}";
        Client.Response refused = client.put("/v3/marketing/contacts", body);
        assertEquals(400, refused.status(), refused.text());
        JsonNode errors = refused.json().get("errors");
        assertEquals(3, errors.size(), errors.toString());
        assertEquals("contacts[2].custom_fields." + age.id(), errors.get(0).get("field").asText());
        assertTrue(errors.get(0).get("message").asText().contains("'abc' is not a number"), errors.toString());
        assertEquals("contacts[3].custom_fields." + since.id(), errors.get(1).get("field").asText());
        assertTrue(errors.get(1).get("message").asText().contains("is not a date"), errors.toString());
        assertEquals("contacts[4].custom_fields", errors.get(2).get("field").asText());
        assertEquals("invalid custom field ids supplied - e999_T,e998_N", errors.get(2).get("message").asText());
        assertEquals(0, fake.contactCount(), "a refused request imports nothing");

        String valid = "{\"contacts\":["
                + "{\"email\":\"ok@example.com\",\"custom_fields\":{\"" + age.id() + "\":42,\"" + since.id() + "\":\"2024-01-31\",\""
                + tier.id() + "\":\"gold\"}},"
                + "{\"email\":\"numstring@example.com\",\"custom_fields\":{\"" + age.id() + "\":\"7\"}}]}";
        assertEquals("completed", client.awaitImport(upsert(valid)).get("status").asText());
        FakeContact ok = fake.contact("ok@example.com").orElseThrow();
        assertEquals(42L, ok.customFields().get(age.id()));
        assertEquals("gold", ok.customFields().get(tier.id()));
        assertEquals(Map.of("age", 42L, "member_since", "2024-01-31", "tier", "gold"), fake.customFieldValues("OK@example.com"));
        assertEquals(7L, fake.contact("numstring@example.com").orElseThrow().customFields().get(age.id()));
        // responses show custom fields by name
        JsonNode got = client.get("/v3/marketing/contacts/" + ok.id()).json();
        assertEquals(42, got.at("/custom_fields/age").asInt());
        fake.assertNoViolations();
    }

    @Test
    @DisplayName("refuseContactValue fails the request naming contact and field (G8)")
    void refusedContactValuesFailTheRequestNamingTheContactAndField() {
        CustomField sku = fake.addCustomField("sku", FieldType.TEXT);
        fake.refuseContactValue("phone_number", "+15550000000", "phone_number is not a valid phone number");
        fake.refuseContactValue("sku", "forbidden-sku", "value not allowed");
        Client.Response refused = client.put("/v3/marketing/contacts", "{\"contacts\":["
                + "{\"email\":\"a@example.com\",\"phone_number\":\"+15550000000\"},"
                + "{\"email\":\"b@example.com\",\"phone_number\":\"+14155550100\"},"
                + "{\"email\":\"c@example.com\",\"custom_fields\":{\"" + sku.id() + "\":\"forbidden-sku\"}}]}");
        assertEquals(400, refused.status(), refused.text());
        JsonNode errors = refused.json().get("errors");
        assertEquals(2, errors.size(), errors.toString());
        assertEquals("contacts[0].phone_number", errors.get(0).get("field").asText());
        assertEquals("phone_number is not a valid phone number", errors.get(0).get("message").asText());
        assertEquals("contacts[2].custom_fields." + sku.id(), errors.get(1).get("field").asText());
        assertEquals(0, fake.contactCount());

        fake.reset();
        assertEquals(202, client.put("/v3/marketing/contacts",
                "{\"contacts\":[{\"email\":\"a@example.com\",\"phone_number\":\"+15550000000\"}]}").status(), "reset forgets refusals");
        fake.assertNoViolations();
    }

    @Test
    void thirtyThousandContactsAreAcceptedAndOneMoreIsRefused() {
        Client.Response ok = client.put("/v3/marketing/contacts", Client.contactsBody(30_000, null));
        assertEquals(202, ok.status(), ok.text());
        Client.Response tooMany = client.put("/v3/marketing/contacts", Client.contactsBody(30_001, null));
        assertEquals(400, tooMany.status());
        assertTrue(tooMany.text().contains("at most 30,000 items"), tooMany.text());
        // the business rule holds without OpenAPI validation too
        fake.setValidationMode(ValidationMode.OFF);
        Client.Response stillTooMany = client.put("/v3/marketing/contacts", Client.contactsBody(30_001, null));
        assertEquals(400, stillTooMany.status());
        assertTrue(stillTooMany.json().at("/errors/0/message").asText().contains("at most 30000"), stillTooMany.text());
        fake.setValidationMode(ValidationMode.STRICT);
        fake.awaitJobs();
        assertEquals(30_000, fake.contactCount());
        assertTrue(fake.requests("PUT", "/v3/marketing/contacts").stream().anyMatch(r -> r.batchSize() == 30_001));
    }

    @Test
    @DisplayName("bodies over 6,000,000 bytes are 413 (G14)")
    void bodiesOverSixMegabytesAre413() {
        String pad = "x".repeat(55);
        String body = "{\"contacts\":[" + IntStream.range(0, 29_000)
                .mapToObj(i -> "{\"email\":\"u" + i + "@example.com\",\"address_line_1\":\"" + pad + "\",\"address_line_2\":\"" + pad
                        + "\",\"city\":\"" + pad + "\"}")
                .collect(Collectors.joining(",")) + "]}";
        assertTrue(body.length() > 6_000_000, "test body must exceed 6 MB: " + body.length());
        Client.Response r = client.put("/v3/marketing/contacts", body);
        assertEquals(413, r.status(), r.text());
        assertTrue(r.json().at("/errors/0/message").asText().contains("6MB"));
    }

    @Test
    void aContactNeedsAnIdentifier() {
        Client.Response r = client.put("/v3/marketing/contacts", "{\"contacts\":[{\"first_name\":\"Nobody\"}]}");
        assertEquals(400, r.status());
        assertEquals("contacts[0]", r.json().at("/errors/0/field").asText());
    }

    @Test
    @DisplayName("an unknown list id is refused (G5)")
    void unknownListIdIsRefused() {
        Client.Response r = client.put("/v3/marketing/contacts",
                "{\"list_ids\":[\"" + java.util.UUID.randomUUID() + "\"],\"contacts\":[{\"email\":\"a@example.com\"}]}");
        assertEquals(400, r.status());
        assertEquals("list_ids", r.json().at("/errors/0/field").asText());
    }

    @Test
    @DisplayName("search/emails returns found contacts and per-address errors (what is invalid: G3)")
    void searchByEmailsReturnsFoundContactsAndPerEmailErrors() {
        fake.seedContact(ContactSeed.of("jane@example.com").with("first_name", "Jane"));
        Client.Response r = client.post("/v3/marketing/contacts/search/emails",
                "{\"emails\":[\"JANE@example.com\",\"joe@example.com\",\"\"]}");
        assertEquals(200, r.status(), r.text());
        JsonNode result = r.json().get("result");
        assertEquals("Jane", result.at("/jane@example.com/contact/first_name").asText());
        assertEquals("contact not found", result.at("/joe@example.com/error").asText());
        assertEquals(2, result.size(), "empty strings are excluded");
        fake.assertNoViolations();
    }

    @Test
    void searchWithNoMatchIs404AndMoreThan100EmailsIs400() {
        Client.Response none = client.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"nobody@example.com\"]}");
        assertEquals(404, none.status());
        assertTrue(none.json().has("errors"));
        String emails = IntStream.range(0, 101).mapToObj(i -> "\"p" + i + "@example.com\"").collect(Collectors.joining(","));
        Client.Response tooMany = client.post("/v3/marketing/contacts/search/emails", "{\"emails\":[" + emails + "]}");
        assertEquals(400, tooMany.status());
        assertTrue(tooMany.text().contains("at most 100"), tooMany.text());
        assertEquals(101, fake.requests("POST", "/v3/marketing/contacts/search/emails").get(1).batchSize());
        Client.Response invalid = client.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"not valid\"]}");
        assertEquals(400, invalid.status());
    }

    @Test
    void getContactByIdAndSample() {
        FakeContact c = fake.seedContact(ContactSeed.of("id@example.com").with("last_name", "Doe"));
        Client.Response r = client.get("/v3/marketing/contacts/" + c.id());
        assertEquals(200, r.status());
        assertEquals("id@example.com", r.json().get("email").asText());
        assertEquals("Doe", r.json().get("last_name").asText());
        assertTrue(r.json().get("list_ids").isArray());
        assertEquals(404, client.get("/v3/marketing/contacts/" + java.util.UUID.randomUUID()).status());
        Client.Response sample = client.get("/v3/marketing/contacts");
        assertEquals(1, sample.json().get("contact_count").asInt());
        assertEquals(1, sample.json().get("result").size());
        fake.assertNoViolations();
    }

    @Test
    @DisplayName("DELETE contacts is a job visible at imports/{id} (G10)")
    void deleteContactsIsImplementedAndRecorded() {
        FakeContact a = fake.seedContact(ContactSeed.of("del1@example.com"));
        fake.seedContact(ContactSeed.of("del2@example.com"));
        assertTrue(fake.requests("DELETE", "/v3/marketing/contacts").isEmpty());
        Client.Response r = client.delete("/v3/marketing/contacts?ids=" + a.id());
        assertEquals(202, r.status(), r.text());
        JsonNode job = client.awaitImport(r.json().get("job_id").asText());
        assertEquals("delete", job.get("job_type").asText());
        assertEquals(1, job.at("/results/deleted_count").asInt());
        assertFalse(fake.contact("del1@example.com").isPresent());
        assertEquals(1, fake.requests("DELETE", "/v3/marketing/contacts").size());
        assertEquals(400, client.delete("/v3/marketing/contacts").status(), "ids or delete_all_contacts is required");
        Client.Response all = client.delete("/v3/marketing/contacts?delete_all_contacts=true");
        assertEquals(202, all.status());
        client.awaitImport(all.json().get("job_id").asText());
        assertEquals(0, fake.contactCount());
    }

    @Test
    @DisplayName("later upserts apply in submission order (G4)")
    void laterUpsertsApplyInOrder() {
        upsert("{\"contacts\":[{\"email\":\"o@example.com\",\"first_name\":\"first\"}]}");
        upsert("{\"contacts\":[{\"email\":\"o@example.com\",\"first_name\":\"second\"}]}");
        fake.awaitJobs();
        assertEquals("second", fake.contact("o@example.com").orElseThrow().firstName());
        FakeContact c = fake.contact("o@example.com").orElseThrow();
        assertNotEquals(null, c.createdAt());
    }
}
