package dev.junction.platform.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.FakeSendGridServer;
import dev.junction.platform.support.contract.Contract;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tenant isolation sweep, generated from {@code ui-contract/openapi.yaml}: tenant A gets one of
 * every resource, then a tenant-admin of tenant B calls every operation of the contract that names
 * a resource in its path, with A's ids and a valid body, and must get 404, exactly as if the resource
 * did not exist; operations filtering by {@code installation_id} must show B nothing of A's. A's
 * resources are checked unchanged afterwards. A new endpoint is covered as soon as it is in the
 * contract: one whose path parameter this test cannot fill, or whose body it cannot make, fails it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationSweepTest extends ApiTestBase implements TestPropertyProvider {

    /** Operations whose path names no tenant's resource. */
    private static final Set<String> NOT_TENANT_SCOPED = Set.of(
            "/v1/admin/integration-catalog/{slug}",              // the catalog is the same for everyone
            "/v1/admin/integration-catalog/{slug}/install",      // installs into the caller's own tenant
            "/v1/admin/plugins/{id}/enable",                     // platform-admin only
            "/v1/webhooks/{webhook_id}");                        // no token: the random id is the credential (WebhookIngestTest)

    private final FakeSendGrid sendgrid = FakeSendGridServer.get();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(FakeSendGridServer.properties());
        p.put("junction.delivery.poll-interval", "100ms");
        return p;
    }

    /** Tenant A's resources, by what a path parameter names. */
    private record TenantA(String slug, Map<String, String> ids, String writeKey) { }

    private TenantA tenantWithEverything() {
        String slug = newTenant("iso-a");
        Api a = tenantAdmin(slug);
        String key = "SG.iso-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);
        Map<String, String> ids = new HashMap<>();
        ids.put("tenant", slug);
        ids.put("installation", a.post("/v1/admin/integration-catalog/sendgrid/install", Map.of("name", "SendGrid", "variant", "default",
                "config", Map.of("api_key", key), "delivery_mode", "server_side")).json().get("id").asText());
        String secret = "a-secret-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, a.put("/v1/admin/secrets/" + secret, Map.of("value", "only-for-a")).status());
        ids.put("secret", secret);
        assertEquals(201, a.post("/v1/admin/cohorts", Map.of("key", "aud", "name", "A's audience")).status());
        a.send("PUT", "/v1/admin/cohorts/aud/members", "application/x-ndjson",
                "{\"user_id\":\"1\",\"email\":\"one@a.example.com\",\"first_name\":\"One\",\"last_name\":\"A\"}\n".getBytes(StandardCharsets.UTF_8));
        ids.put("cohort", "aud");
        String syncs = "/v1/admin/installations/" + ids.get("installation") + "/cohort-syncs";
        String sync = a.post(syncs, Map.of("cohort_key", "aud", "list_name", "A list " + slug, "cadence", "manual",
                "mapping", Map.of("email", "email", "first_name", "first_name", "last_name", "last_name"))).json().get("id").asText();
        ids.put("sync", sync);
        ids.put("run", a.post(syncs + "/" + sync + "/run", Map.of()).json().get("id").asText());
        Api.Response source = a.post("/v1/admin/sources", Map.of("name", "A's app"));
        ids.put("source", source.json().get("id").asText());
        String writeKey = source.json().get("write_key").asText();
        api().with("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                .post("/v1/identify", Map.of("userId", "a-user", "traits", Map.of("email", "a-user@a.example.com")));
        ids.put("delivery", await(() -> a.get("/v1/admin/deliveries").json().path("items").path(0).path("id").asText(null)));
        ids.put("event", a.get("/v1/admin/events?limit=1").json().get("items").get(0).get("id").asText());
        ids.put("collection", "lists");
        return new TenantA(slug, ids, writeKey);
    }

    /** The value of A's resource for a path parameter, chosen by the path segment before it. */
    private static String value(TenantA a, String template, String parameter) {
        String before = template.substring(0, template.indexOf("{" + parameter + "}"));
        String[] segments = before.split("/");
        String owner = segments[segments.length - 1];
        String kind = switch (owner) {
            case "tenants" -> "tenant";
            case "secrets" -> "secret";
            case "installations" -> "installation";
            case "cohorts" -> "cohort";
            case "cohort-syncs" -> "sync";
            case "runs" -> "run";
            case "sources" -> "source";
            case "deliveries" -> "delivery";
            case "events" -> "event";
            case "collections" -> "collection";
            default -> throw new AssertionError("the isolation sweep cannot fill {" + parameter + "} of " + template
                    + ": add the kind of resource that '" + owner + "' names to TenantIsolationSweepTest");
        };
        return a.ids().get(kind);
    }

    /** A valid body for the operation, so that only tenancy can refuse it. */
    private static Object body(Contract.Operation op) {
        String key = op.method() + " " + op.template();
        return switch (key) {
            case "PATCH /v1/admin/tenants/{slug}" -> Map.of("name", "Renamed by B");
            case "PUT /v1/admin/secrets/{name}" -> Map.of("value", "written by B");
            case "PATCH /v1/admin/installations/{id}" -> Map.of("name", "Renamed by B");
            case "PUT /v1/admin/installations/{id}/webhook/basic-auth" -> Map.of("username", "b", "password", "b-password-123");
            case "POST /v1/admin/cohorts/{key}/members/add", "POST /v1/admin/cohorts/{key}/members/remove" ->
                    Map.of("members", List.of(Map.of("user_id", "b", "email", "b@b.example.com")));
            case "POST /v1/admin/installations/{installationId}/cohort-syncs" -> Map.of("cohort_key", "aud", "list_name", "B",
                    "cadence", "manual", "mapping", Map.of("email", "email", "first_name", "first_name", "last_name", "last_name"));
            default -> {
                if (op.node().has("requestBody") && op.node().path("requestBody").path("required").asBoolean(false)
                        && !op.node().at("/requestBody/content").has("application/json")) {
                    yield null; // non-JSON bodies are sent below
                }
                if (op.node().path("requestBody").path("required").asBoolean(false)) {
                    throw new AssertionError("the isolation sweep has no valid body for " + key + ": add one to TenantIsolationSweepTest");
                }
                yield op.node().has("requestBody") ? Map.of() : null;
            }
        };
    }

    @Test
    void anotherTenantsIdsAnswer404OnEveryOperationOfTheContract() {
        TenantA a = tenantWithEverything();
        Map<String, String> before = snapshot(a);
        Api b = tenantAdmin(newTenant("iso-b"));
        List<String> leaks = new ArrayList<>();
        int swept = 0;
        for (Contract.Operation op : Contract.get().operations()) {
            if (op.names().isEmpty() || NOT_TENANT_SCOPED.contains(op.template()) || !op.template().startsWith("/v1/admin/")) {
                continue;
            }
            String path = op.template();
            for (String name : op.names()) {
                path = path.replace("{" + name + "}", value(a, op.template(), name));
            }
            if (op.template().equals("/v1/admin/secrets/{name}") && op.method().equals("PUT")) {
                continue; // below, after the sweep
            }
            if (op.template().equals("/v1/admin/tenants/{slug}") && op.method().equals("DELETE")) {
                // platform-admin only: refused by role before any tenant is looked at
                assertEquals(403, b.delete(path).status());
                continue;
            }
            Api.Response r;
            if (op.template().endsWith("/members") && op.method().equals("PUT")) {
                r = b.send("PUT", path, "application/x-ndjson", "{\"user_id\":\"b\",\"email\":\"b@b.example.com\"}\n".getBytes(StandardCharsets.UTF_8));
            } else if (op.template().endsWith("/stream")) {
                continue; // no path parameters of its own
            } else {
                Object body = body(op);
                r = body == null ? b.send(op.method(), path, null, null) : b.send(op.method(), path, "application/json", Api.JSON.valueToTree(body).toString().getBytes(StandardCharsets.UTF_8));
            }
            swept++;
            if (r.status() != 404) {
                leaks.add(op.method() + " " + path + " -> " + r.status() + " " + r.body());
            }
        }
        assertTrue(swept >= 25, "swept only " + swept + " operations");
        // secret names are per tenant: B writes its own secret of that name, never A's (the snapshot shows A's unchanged)
        assertEquals(201, b.put("/v1/admin/secrets/" + a.ids().get("secret"), Map.of("value", "written by B")).status());
        assertTrue(leaks.isEmpty(), "tenant B reached tenant A's resources:\n" + String.join("\n", leaks));

        // filters by A's installation show B nothing
        for (Contract.Operation op : Contract.get().operations()) {
            boolean filtersByInstallation = false;
            for (JsonNode p : op.node().path("parameters")) {
                filtersByInstallation |= p.path("name").asText().equals("installation_id") && p.path("in").asText().equals("query");
            }
            if (filtersByInstallation && op.method().equals("GET") && !op.template().endsWith("/stream")) {
                Api.Response r = b.get(op.template() + "?installation_id=" + a.ids().get("installation"));
                assertTrue(r.status() == 404 || (r.status() == 200 && r.json().get("items").isEmpty()),
                        op.template() + " showed B something of A's: " + r);
            }
        }
        assertEquals(before, snapshot(a), "tenant A's resources are as they were");
    }

    /** What A sees of its resources (names, statuses, versions, counts). */
    private Map<String, String> snapshot(TenantA a) {
        Api api = tenantAdmin(a.slug());
        Map<String, String> s = new LinkedHashMap<>();
        JsonNode tenant = api.get("/v1/admin/tenants/" + a.slug()).json();
        s.put("tenant", tenant.get("name").asText());
        JsonNode installation = api.get("/v1/admin/installations/" + a.ids().get("installation")).json();
        s.put("installation", installation.get("name").asText() + "|" + installation.get("status").asText() + "|"
                + installation.path("webhook_url").asText());
        s.put("secret", api.get("/v1/admin/secrets/" + a.ids().get("secret")).json().get("version").asText());
        s.put("cohort", api.get("/v1/admin/cohorts/aud").json().get("member_count").asText());
        s.put("syncs", String.valueOf(api.get("/v1/admin/installations/" + a.ids().get("installation") + "/cohort-syncs").json().get("items").size()));
        s.put("source", api.get("/v1/admin/sources/" + a.ids().get("source")).json().get("write_key_hint").asText());
        s.put("delivery", api.get("/v1/admin/deliveries/" + a.ids().get("delivery")).json().get("replays").asText());
        return s;
    }

    private static String await(java.util.function.Supplier<String> value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String v = value.get();
            if (v != null) {
                return v;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("timed out");
    }
}
