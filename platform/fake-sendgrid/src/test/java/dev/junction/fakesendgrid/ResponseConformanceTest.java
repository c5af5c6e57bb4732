package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fake's answers match the response schemas of SendGrid's OpenAPI documents: every modeled operation is
 * called with a valid request, and also made to refuse, and each JSON answer is validated against the
 * schema the spec gives for its status.
 */
class ResponseConformanceTest extends FakeSendGridTestBase {

    /**
     * Answers that differ from the response schema on purpose, where the spec contradicts itself or its own
     * examples (README, the G-numbers): operation and status, to the guess that explains it.
     */
    static final Map<String, String> KNOWN = Map.of(
            "DELETE /v3/marketing/contacts 202", "G10: job_id is a string, as every other job_id; the schema says object",
            "GET /v3/marketing/segments/2.0 200", "G12: the schema describes one segment, the operation lists them",
            "GET /v3/marketing/segments/{segment_id} 200", "G12: contacts_sample as the spec's example, not its schema",
            "GET /v3/marketing/segments/2.0/{segment_id} 200", "G12: contacts_sample as the spec's example, not its schema",
            "GET /v3/marketing/lists/{id} 404", "G15: {\"errors\":[...]} as the file's other 404s; the schema says a bare array");

    private SpecValidator spec;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> answered2xx = new TreeSet<>();

    @BeforeAll
    void loadSpec() {
        spec = new SpecValidator();
    }

    @BeforeEach
    void clear() {
        problems.clear();
        answered2xx.clear();
    }

    @Override
    FakeSendGridBuilder configure(FakeSendGridBuilder builder) {
        return builder.importDelay(java.time.Duration.ofMillis(5)).exportDelay(java.time.Duration.ofMillis(5));
    }

    /** Sends the request and validates the answer against the spec; returns it. */
    private Client.Response call(Client c, String method, String pathAndQuery, Object body) {
        Client.Response r = c.send(method, pathAndQuery, body);
        String path = pathAndQuery.split("\\?")[0];
        SpecValidator.Operation op = spec.match(method, path).orElseThrow(() -> new AssertionError(method + " " + path)).operation();
        if (r.status() / 100 == 2) {
            answered2xx.add(method + " " + op.template);
        }
        String where = method + " " + op.template + " " + r.status();
        if (r.text().isEmpty()) {
            if (r.status() != 204) {
                problems.add(where + ": empty answer");
            }
            return r;
        }
        spec.validateResponse(op, r.status(), r.text()).forEach(p -> problems.add(where + ": " + p));
        return r;
    }

    private Client.Response call(String method, String pathAndQuery, Object body) {
        return call(client, method, pathAndQuery, body);
    }

    /** No problems but the known deviations, and each of these expected ones seen (so the list stays true). */
    private void assertOnly(Set<String> expectedDeviations) {
        List<String> unexpected = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String p : problems) {
            String where = p.substring(0, p.indexOf(": "));
            if (KNOWN.containsKey(where)) {
                seen.add(where);
            } else {
                unexpected.add(p);
            }
        }
        assertEquals(List.of(), unexpected);
        assertEquals(new TreeSet<>(expectedDeviations), seen);
    }

    @Test
    @DisplayName("every modeled operation answers as the spec's response schemas say (deviations G10, G12 listed)")
    void everyModeledOperationAnswersAsTheSpecDescribes() {
        fake.addCustomField("tier", FieldType.TEXT);
        call("GET", "/v3/scopes", null);

        String listId = call("POST", "/v3/marketing/lists", "{\"name\":\"newsletter\"}").json().get("id").asText();
        call("GET", "/v3/marketing/lists?page_size=1", null);
        call("GET", "/v3/marketing/lists/" + listId, null);
        call("PATCH", "/v3/marketing/lists/" + listId, "{\"name\":\"news\"}");

        String job = call("PUT", "/v3/marketing/contacts", Client.contactsBody(3, listId)).json().get("job_id").asText();
        fake.awaitJobs();
        call("GET", "/v3/marketing/contacts/imports/" + job, null);
        call("GET", "/v3/marketing/lists/" + listId + "/contacts/count", null);
        call("GET", "/v3/marketing/contacts", null);
        call("GET", "/v3/marketing/contacts/count", null);
        String contactId = fake.contact("user0@example.com").orElseThrow().id();
        call("GET", "/v3/marketing/contacts/" + contactId, null);
        call("POST", "/v3/marketing/contacts/search/emails", "{\"emails\":[\"user1@example.com\",\"nobody@example.com\"]}");

        String export = call("POST", "/v3/marketing/contacts/exports", "{\"list_ids\":[\"" + listId + "\"]}").json().get("id").asText();
        fake.awaitJobs();
        call("GET", "/v3/marketing/contacts/exports/" + export, null);
        call("GET", "/v3/marketing/contacts/exports", null);

        Segment segment = fake.addSegment("gold", "tier = 'gold'", List.of("user0@example.com"));
        call("GET", "/v3/marketing/segments", null);
        call("GET", "/v3/marketing/segments/" + segment.id(), null);
        call("GET", "/v3/marketing/segments/2.0", null);
        call("GET", "/v3/marketing/segments/2.0/" + segment.id(), null);

        call("GET", "/v3/marketing/field_definitions", null);
        String fieldId = call("POST", "/v3/marketing/field_definitions", "{\"name\":\"score\",\"field_type\":\"Number\"}")
                .json().get("id").asText();
        call("PATCH", "/v3/marketing/field_definitions/" + fieldId, "{\"name\":\"points\"}");
        call("DELETE", "/v3/marketing/field_definitions/" + fieldId, null);

        call("DELETE", "/v3/marketing/lists/" + listId + "/contacts?contact_ids=" + contactId, null);
        call("DELETE", "/v3/marketing/contacts?ids=" + contactId, null);
        fake.awaitJobs();
        call("DELETE", "/v3/marketing/lists/" + listId, null);

        assertOnly(Set.of("DELETE /v3/marketing/contacts 202", "GET /v3/marketing/segments/2.0 200",
                "GET /v3/marketing/segments/{segment_id} 200", "GET /v3/marketing/segments/2.0/{segment_id} 200"));
        Set<String> modeled = new TreeSet<>(new Api(new Store(), null, "http://x", 100, new ApiKeys("SG.x")).routeKeys());
        assertEquals(modeled, answered2xx, "every modeled operation was answered with success");
    }

    @Test
    @DisplayName("refusals (401, 403, 400, 404) answer as the spec's response schemas say (deviation G15 listed)")
    void refusalsAnswerAsTheSpecDescribes() {
        fake.addApiKey("SG.nothing", Set.of(), Set.of());
        call(client.withKey(null), "GET", "/v3/scopes", null);
        call(client.withKey("SG.unknown"), "PUT", "/v3/marketing/contacts", Client.contactsBody(1, null));
        call(client.withKey("SG.nothing"), "PUT", "/v3/marketing/contacts", Client.contactsBody(1, null));
        call(client.withKey("SG.nothing"), "POST", "/v3/marketing/contacts/exports", "{}");
        call("PUT", "/v3/marketing/contacts", "{\"contacts\":[]}");
        call("POST", "/v3/marketing/contacts/search/emails", "{\"emails\":[\"nobody@example.com\"]}");
        call("POST", "/v3/marketing/lists", "{}");
        call("GET", "/v3/marketing/lists/6a3c3b9e-0000-4000-8000-000000000000", null);
        call("POST", "/v3/marketing/field_definitions", "{\"name\":\"bad name\",\"field_type\":\"Text\"}");
        assertOnly(Set.of("GET /v3/marketing/lists/{id} 404"));
    }
}
