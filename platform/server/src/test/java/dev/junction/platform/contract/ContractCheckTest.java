package dev.junction.platform.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.contract.Contract;
import dev.junction.platform.support.contract.ContractExtension;
import dev.junction.platform.support.contract.ContractRecorder;
import dev.junction.platform.support.contract.ContractValidator;
import dev.junction.platform.support.contract.Exchange;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract check can fail: real exchanges pass, and the same exchanges with a broken answer
 * (or an undocumented path, method, status, media type, header or parameter) are violations that
 * fail the test that made them, naming method, path, status and the validator's message.
 */
@MicronautTest(transactional = false)
class ContractCheckTest extends ApiTestBase {

    private final ContractValidator validator = new ContractValidator(Contract.get());

    private Exchange createTenant() {
        String slug = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response r = platformAdmin().post("/v1/admin/tenants", Map.of("slug", slug, "name", "Contract Inc."));
        assertEquals(201, r.status(), r.toString());
        Exchange x = ContractRecorder.last();
        assertEquals(List.of(), validator.validate(x), "the real answer is valid");
        return x;
    }

    private static byte[] tamper(Exchange x, java.util.function.Consumer<ObjectNode> change) throws Exception {
        ObjectNode body = (ObjectNode) Api.JSON.readTree(x.responseBody());
        change.accept(body);
        return Api.JSON.writeValueAsBytes(body);
    }

    private void assertViolation(Exchange x, String... expected) {
        List<String> violations = validator.validate(x);
        String all = String.join("\n", violations);
        for (String e : expected) {
            assertTrue(all.contains(e), "expected a violation containing '" + e + "', got:\n" + all);
        }
    }

    @Test
    void aBrokenResponseBodyIsAViolation() throws Exception {
        Exchange x = createTenant();
        assertViolation(x.withResponseBody(tamper(x, b -> b.remove("slug"))), "required property 'slug' not found");
        assertViolation(x.withResponseBody(tamper(x, b -> b.put("event_retention_days", "7"))),
                "/event_retention_days", "string found, integer expected");
        assertViolation(x.withResponseBody(tamper(x, b -> b.put("created_at", "yesterday"))), "/created_at", "date-time");
        assertViolation(x.withResponseBody(tamper(x, b -> b.put("owner", "not in the contract"))), "owner");
        assertViolation(x.withResponseBody(tamper(x, b -> b.put("id", "42"))), "/id", "uuid");
        assertViolation(x.withResponseBody("not json".getBytes(StandardCharsets.UTF_8)), "response body is not JSON");
        assertViolation(x.withResponseBody(new byte[0]), "documents a body");
    }

    @Test
    void undocumentedStatusesHeadersAndMediaTypesAreViolations() {
        Exchange x = createTenant();
        assertViolation(x.withStatus(418), "status 418 is not documented for POST /v1/admin/tenants");
        Exchange noLocation = new Exchange(x.method(), x.uri(), x.headers(), x.contentType(), x.body(), x.status(),
                Map.of("content-type", List.of("application/json")), x.responseBody());
        assertViolation(noLocation, "header Location is required but missing");
        Exchange html = new Exchange(x.method(), x.uri(), x.headers(), x.contentType(), x.body(), x.status(),
                Map.of("content-type", List.of("text/html"), "location", List.of("/v1/admin/tenants/x")), x.responseBody());
        assertViolation(html, "Content-Type 'text/html' is not documented for status 201");
    }

    @Test
    void aBrokenProblemIsAViolation() throws Exception {
        Api.Response r = platformAdmin().post("/v1/admin/tenants", Map.of("slug", "UPPER", "name", ""));
        assertEquals(422, r.status());
        Exchange x = ContractRecorder.last();
        assertEquals(List.of(), validator.validate(x));
        assertViolation(x.withResponseBody(tamper(x, b -> b.remove("type"))), "required property 'type' not found");
        assertViolation(x.withResponseBody(tamper(x, b -> b.put("type", "about:blank"))), "/type");
        assertViolation(x.withResponseBody(tamper(x, b -> ((ObjectNode) b.get("errors").get(0)).remove("pointer"))), "/errors/0");
    }

    @Test
    void unknownPathsAndMethodsAreViolationsNotSkipped() {
        Exchange x = createTenant();
        Exchange unknown = new Exchange("GET", URI.create("http://localhost/v1/admin/installations/" + UUID.randomUUID()
                + "/object-syncs"), x.headers(), null, null, 200, Map.of("content-type", List.of("application/json")),
                "{\"items\":[]}".getBytes(StandardCharsets.UTF_8));
        assertViolation(unknown, "no path of the contract matches /v1/admin/installations/", "/object-syncs");
        Exchange wrongMethod = new Exchange("PATCH", URI.create("http://localhost/v1/admin/tenants"), x.headers(), null,
                null, 405, Map.of("content-type", List.of("application/problem+json")), new byte[0]);
        assertViolation(wrongMethod, "PATCH is not an operation of the contract on /v1/admin/tenants");
    }

    @Test
    void anAcceptedRequestMustBeValidToo() {
        Exchange x = createTenant();
        Exchange extraQuery = new Exchange(x.method(), URI.create(x.uri() + "?dry_run=true"), x.headers(), x.contentType(),
                x.body(), x.status(), x.responseHeaders(), x.responseBody());
        assertViolation(extraQuery, "query parameter 'dry_run' is not documented");
        Exchange noToken = new Exchange(x.method(), x.uri(), Map.of("Content-Type", "application/json"), x.contentType(),
                x.body(), x.status(), x.responseHeaders(), x.responseBody());
        assertViolation(noToken, "requires", "bearer");
        Exchange badBody = new Exchange(x.method(), x.uri(), x.headers(), x.contentType(),
                "{\"slug\":\"x\"}".getBytes(StandardCharsets.UTF_8), x.status(), x.responseHeaders(), x.responseBody());
        assertViolation(badBody, "request body", "required property 'name' not found");
        // the same bad body refused by the server is a test of the server, not a contract violation
        assertEquals(List.of(), validator.validate(new Exchange(x.method(), x.uri(), x.headers(), x.contentType(),
                "{\"slug\":\"x\"}".getBytes(StandardCharsets.UTF_8), 422, Map.of("content-type", List.of("application/problem+json")),
                "{\"type\":\"https://junction.dev/problems/validation\",\"title\":\"Invalid request\",\"status\":422}"
                        .getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aViolationFailsTheTestNamingMethodPathStatusAndMessage() throws Exception {
        Exchange x = createTenant();
        ContractRecorder.record(x.withResponseBody(tamper(x, b -> b.remove("name"))));
        AssertionError e = assertThrows(AssertionError.class, () -> ContractExtension.failOnViolations("demo()"));
        assertTrue(e.getMessage().contains("demo(): 1 exchange(s) disagree with ui-contract/openapi.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("POST /v1/admin/tenants -> 201: response body (root): required property 'name' not found"),
                e.getMessage());
        ContractExtension.failOnViolations("nothing left"); // drained: the next check passes
    }
}
