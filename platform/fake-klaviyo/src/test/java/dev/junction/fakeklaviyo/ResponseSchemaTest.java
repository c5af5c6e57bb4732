package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake's answers are shaped as the spec's response schemas (validated with the same validator). */
class ResponseSchemaTest extends FakeKlaviyoTestBase {

    @Test
    void answersMatchTheResponseSchemas() {
        KlaviyoSpec spec = new KlaviyoSpec(fake.specDir());
        List<String> problems = new ArrayList<>();
        String listId = createList("Schema");
        List<String> ids = fake.state().seedProfiles(3);
        fake.state().addToList(listId, ids);
        String segmentId = fake.state().addSegment("VIPs", ids);
        client.post("/api/events", EventsTest.event("Placed Order", "user0@example.com", "o-1", 12.0));
        String eventId = fake.state().events().get(0).id();
        String metricId = client.get("/api/metrics").json().path("data").path(0).path("id").asText();
        Client.Response job = client.post("/api/profile-bulk-import-jobs", JobsTest.importBody(
                List.of(JobsTest.profile("'email':'j@example.com'"), JobsTest.profile("'email':'bad@'")), listId));
        check(spec, "bulk_import_profiles", job, problems);
        String jobId = job.json().path("data").path("id").asText();
        fake.awaitJobs();
        Client.Response webhook = client.post("/api/webhooks", Client.json("{'data':{'type':'webhook','attributes':"
                + "{'name':'w','endpoint_url':'https://example.com/h','secret_key':'k'},'relationships':"
                + "{'webhook-topics':{'data':[{'type':'webhook-topic','id':'event:klaviyo.opened_email'}]}}}}"));
        check(spec, "create_webhook", webhook, problems);
        String webhookId = webhook.json().path("data").path("id").asText();

        Map<String, String> gets = new java.util.LinkedHashMap<>();
        gets.put("get_accounts", "/api/accounts");
        gets.put("get_lists", "/api/lists");
        gets.put("get_list", "/api/lists/" + listId);
        gets.put("get_profiles_for_list", "/api/lists/" + listId + "/profiles");
        gets.put("get_profile_ids_for_list", "/api/lists/" + listId + "/relationships/profiles");
        gets.put("get_profiles", "/api/profiles?page%5Bsize%5D=2");
        gets.put("get_profile", "/api/profiles/" + ids.get(0) + "?additional-fields%5Bprofile%5D=subscriptions");
        gets.put("get_bulk_import_profiles_jobs", "/api/profile-bulk-import-jobs");
        gets.put("get_bulk_import_profiles_job", "/api/profile-bulk-import-jobs/" + jobId);
        gets.put("get_errors_for_bulk_import_profiles_job", "/api/profile-bulk-import-jobs/" + jobId
                + "/import-errors");
        gets.put("get_events", "/api/events");
        gets.put("get_event", "/api/events/" + eventId);
        gets.put("get_metrics", "/api/metrics");
        gets.put("get_metric", "/api/metrics/" + metricId);
        gets.put("get_segments", "/api/segments");
        gets.put("get_segment", "/api/segments/" + segmentId);
        gets.put("get_profiles_for_segment", "/api/segments/" + segmentId + "/profiles");
        gets.put("get_profile_ids_for_segment", "/api/segments/" + segmentId + "/relationships/profiles");
        gets.put("get_webhooks", "/api/webhooks");
        gets.put("get_webhook", "/api/webhooks/" + webhookId);
        gets.put("get_webhook_topics", "/api/webhook-topics");
        gets.put("get_webhook_topic", "/api/webhook-topics/event:klaviyo.opened_email");
        gets.forEach((op, path) -> check(spec, op, client.get(path), problems));

        check(spec, "create_list", client.post("/api/lists", listBody("Another")), problems);
        check(spec, "update_list", client.patch("/api/lists/" + listId, Client.json(
                "{'data':{'type':'list','id':'" + listId + "','attributes':{'name':'Renamed'}}}")), problems);
        check(spec, "create_or_update_profile", client.post("/api/profile-import", Client.json(
                "{'data':{'type':'profile','attributes':{'email':'new@example.com','first_name':'N'}}}")), problems);
        check(spec, "create_event", client.post("/api/events", EventsTest.event("X", "x@example.com", "1", null)),
                problems);
        check(spec, "add_profiles_to_list", client.post("/api/lists/" + listId + "/relationships/profiles",
                ListsAndProfilesTest.refs(ids)), problems);
        check(spec, "create_list", client.post("/api/lists", "{}"), problems);
        check(spec, "get_list", client.get("/api/lists/NOPE"), problems);
        check(spec, "get_accounts", new Client(fake.baseUrl(), "pk_nope").get("/api/accounts"), problems);
        assertEquals(List.of(), problems);
    }

    private static void check(KlaviyoSpec spec, String operationId, Client.Response r, List<String> problems) {
        for (String p : spec.validateResponse(spec.operation(operationId), r.status(), r.text())) {
            problems.add(operationId + " " + r.status() + ": " + p);
        }
    }
}
