package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events: unique_id dedupe (G8), the bulk job and its 1,000-event limit, reads, metrics. */
class EventsTest extends FakeKlaviyoTestBase {

    static String event(String metric, String email, String uniqueId, Double value) {
        return Client.json("{'data':{'type':'event','attributes':{'properties':{'plan':'pro'},"
                + "'metric':{'data':{'type':'metric','attributes':{'name':'" + metric + "'}}},"
                + "'profile':{'data':{'type':'profile','attributes':{'email':'" + email + "'}}}"
                + (uniqueId == null ? "" : ",'unique_id':'" + uniqueId + "'")
                + (value == null ? "" : ",'value':" + value) + "}}}");
    }

    @Test
    void aReplayedUniqueIdNeverCountsTwice() {
        assertEquals(202, client.post("/api/events", event("Order Completed", "a@example.com", "m-1", 42.5)).status());
        assertEquals(202, client.post("/api/events", event("Order Completed", "A@example.com", "m-1", 42.5)).status());
        assertEquals(202, client.post("/api/events", event("Order Completed", "a@example.com", "m-2", 10.0)).status());
        List<FakeEvent> orders = fake.state().events("Order Completed");
        assertEquals(2, orders.size());
        assertEquals(42.5, orders.get(0).value());
        assertEquals(1, fake.state().duplicateEvents());
        assertEquals(1, fake.state().profileCount(), "the event created the profile once");
        fake.assertNoViolations();
    }

    @Test
    void withoutUniqueIdTheSecondIsTheKey() {
        client.post("/api/events", event("Viewed Page", "b@example.com", null, null));
        client.post("/api/events", event("Viewed Page", "b@example.com", null, null));
        assertTrue(fake.state().events("Viewed Page").size() <= 2);
        assertTrue(fake.state().events("Viewed Page").size() + fake.state().duplicateEvents() == 2);
    }

    static String bulk(int profiles, int eventsEach) {
        StringBuilder sb = new StringBuilder("{'data':{'type':'event-bulk-create-job','attributes':"
                + "{'events-bulk-create':{'data':[");
        for (int p = 0; p < profiles; p++) {
            sb.append(p == 0 ? "" : ",").append("{'type':'event-bulk-create','attributes':{'profile':{'data':"
                    + "{'type':'profile','attributes':{'email':'p" + p + "@example.com'}}},'events':{'data':[");
            for (int e = 0; e < eventsEach; e++) {
                sb.append(e == 0 ? "" : ",").append("{'type':'event','attributes':{'properties':{},'unique_id':'"
                        + p + "-" + e + "','metric':{'data':{'type':'metric','attributes':{'name':'Bulk'}}}}}");
            }
            sb.append("]}}}");
        }
        return Client.json(sb.append("]}}}}").toString());
    }

    @Test
    void bulkJobRecordsUpTo1000Events() {
        Client.Response r = client.post("/api/event-bulk-create-jobs", bulk(10, 100));
        assertEquals(202, r.status(), r.toString());
        fake.awaitJobs();
        assertEquals(1000, fake.state().events("Bulk").size());
        assertEquals(10, fake.state().profileCount());
        assertEquals(400, client.post("/api/event-bulk-create-jobs", bulk(7, 143)).status());
        assertEquals(1, fake.violations().size());
    }

    @Test
    void eventsAndMetricsCanBeRead() {
        for (int i = 0; i < 5; i++) {
            client.post("/api/events", event(i % 2 == 0 ? "Placed Order" : "Viewed Page", "c@example.com",
                    "u" + i, null));
        }
        JsonNode metrics = client.get("/api/metrics").json().path("data");
        assertEquals(2, metrics.size());
        String placed = null;
        for (JsonNode m : metrics) {
            if (m.path("attributes").path("name").asText().equals("Placed Order")) {
                placed = m.path("id").asText();
            }
        }
        JsonNode page = client.get("/api/events?filter=" + ValidationTest.enc("equals(metric_id,\"" + placed + "\")"))
                .json();
        assertEquals(3, page.path("data").size());
        List<String> metricIds = new ArrayList<>();
        page.path("data").forEach(e -> metricIds.add(e.path("relationships").path("metric").path("data").path("id")
                .asText()));
        assertTrue(metricIds.stream().allMatch(placed::equals));
        fake.assertNoViolations();
    }
}
