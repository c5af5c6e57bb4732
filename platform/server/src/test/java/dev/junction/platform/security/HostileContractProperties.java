package dev.junction.platform.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ContractFixtures;
import dev.junction.platform.support.FakeSendGridServer;
import dev.junction.platform.support.TestDatabase;
import dev.junction.platform.support.Tokens;
import dev.junction.platform.support.contract.Contract;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated hostile input against every operation of {@code ui-contract/openapi.yaml} that takes a
 * body, and every query parameter, sent as a platform admin (the tracking API with a write key,
 * webhooks anonymously) to a running server on real PostgreSQL. The bodies follow each operation's
 * request schema, with hostile values in its fields: U+0000 and lone surrogates (in values and
 * keys), 1 MB strings, deep nesting, huge numbers, wrong types and repeated keys. For every request:
 * no 5xx; and when the answer is a refusal (4xx), no table of the public or tenant schemas changed
 * (row counts and checksums of the tenant's rows, before and after).
 *
 * <p>Runs on jqwik's engine beside Jupiter (so Micronaut Test's extension is not available: the
 * server is started here, on the suite's test database). Tries are tuned to keep it under three minutes in CI
 * (250 + 120 took 352 s there); every run draws new values, so the runs add up.
 */
class HostileContractProperties {

    /**
     * Tables not compared: those that record refusals or housekeeping rather than what a request
     * asked to store, and those the delivery workers update while delivering what an earlier,
     * accepted tracking message queued (a refused request queues nothing: it gets no 2xx).
     */
    private static final List<String> NOT_COUNTED = List.of("event_log", "flyway_schema_history", "webhook_dedupe",
            "delivery", "installation_state");

    /**
     * Operations that start a background run: an accepted one keeps writing after its answer, which
     * would be taken for a refused request's write. They take no body (BadInputCorpusTest sends
     * them bad ones), so nothing is lost by leaving them out here.
     */
    private static final java.util.regex.Pattern STARTS_A_RUN = java.util.regex.Pattern.compile(".*/(run|check)$");

    private static ApplicationContext context;
    private static ContractFixtures fixtures;
    private static Api anonymous;
    private static Api admin;
    private static String tenantId;
    private static List<Contract.Operation> withBodies;
    private static List<Contract.Operation> withQueries;

    @BeforeContainer
    static void start() throws Exception {
        context = ApplicationContext.run(Map.copyOf(FakeSendGridServer.properties()), "test");
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        anonymous = new Api(server.getURI()).outsideContract("generated hostile input (HostileContractProperties)");
        String slug = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        Api platformAdmin = anonymous.as(Tokens.platformAdmin());
        assertEquals(201, platformAdmin.post("/v1/admin/tenants", Map.of("slug", slug, "name", "Hostile")).status());
        admin = platformAdmin.with("X-Junction-Tenant", slug);
        fixtures = ContractFixtures.create(admin, slug, FakeSendGridServer.get());
        try (Connection c = TestDatabase.connect(); PreparedStatement s = c.prepareStatement("SELECT id::text FROM tenant WHERE slug = ?")) {
            s.setString(1, slug);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                tenantId = rs.getString(1);
            }
        }
        withBodies = new ArrayList<>();
        withQueries = new ArrayList<>();
        for (Contract.Operation op : Contract.get().operations()) {
            if (fixtures.path(op) == null || !op.template().startsWith("/v1/")) {
                continue;
            }
            if (!op.node().path("requestBody").isMissingNode() && !STARTS_A_RUN.matcher(op.template()).matches()) {
                withBodies.add(op);
            }
            // the live tail streams until the client leaves: its query parameters are those of GET /v1/admin/events
            if (!queryParameters(op).isEmpty() && !op.template().endsWith("/stream")) {
                withQueries.add(op);
            }
        }
        assertTrue(withBodies.size() >= 18, "only " + withBodies.size() + " body-taking operations found");
    }

    @AfterContainer
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void hostileBodiesNeverFailTheServerNorWriteWhenRefused(@ForAll("bodyRequests") Hostile request) throws Exception {
        check(request);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.OFF)
    void hostileQueryParametersNeverFailTheServerNorWriteWhenRefused(@ForAll("queryRequests") Hostile request) throws Exception {
        check(request);
    }

    private static void check(Hostile request) throws Exception {
        Map<String, String> before = snapshot();
        Api client = fixtures.client(request.op(), anonymous, admin);
        Api.Response r = client.send(request.op().method(), request.path(), request.contentType(), request.body());
        assertTrue(r.status() < 500, request + " -> " + r.status() + " " + abbreviate(r.body()));
        if (r.status() >= 400) {
            Map<String, String> after = snapshot();
            assertEquals(before, after, request + " was refused (" + r.status() + ") but changed tables");
        }
    }

    /** One generated request. */
    record Hostile(Contract.Operation op, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8);
            return op.method() + " " + path + " " + (body == null ? "" : "(" + body.length + " bytes) " + text);
        }
    }

    @Provide
    Arbitrary<Hostile> bodyRequests() {
        return Arbitraries.of(withBodies).flatMap(op -> {
            String type = op.node().at("/requestBody/content").has("application/x-ndjson") ? "application/x-ndjson" : "application/json";
            return body(requestSchema(op), 0).map(text -> new Hostile(op, fixtures.path(op), type,
                    text.getBytes(StandardCharsets.UTF_8)));
        });
    }

    @Provide
    Arbitrary<Hostile> queryRequests() {
        return Arbitraries.of(withQueries).flatMap(op -> {
            List<String> names = queryParameters(op);
            Arbitrary<String> query = Arbitraries.of(names).flatMap(name -> Arbitraries.oneOf(
                            Arbitraries.of("%00", "a%00b", "%ED%A0%80", "%ED%B0%80x", "%FF%FE", "99999999999999999999999999",
                                    "-1", "0", "1e400", "NaN", "true", "%5B%5D", "%7B%7D", "%7B%22a%22%3A1%7D", "'%3B--"),
                            Arbitraries.strings().ofMinLength(1).ofMaxLength(3000).alpha())
                    .map(v -> name + "=" + v))
                    .list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("&", parts));
            return query.map(q -> new Hostile(op, fixtures.path(op) + "?" + q, null, null));
        });
    }

    /** A body for {@code schema}: its fields with plausible or hostile values, or a hostile value in its place. */
    private static Arbitrary<String> body(JsonNode schema, int depth) {
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = schema.path("properties").fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        if (fields.isEmpty() || depth > 2) {
            return hostile();
        }
        Arbitrary<String> object = Combinators.combine(
                Arbitraries.subsetOf(fields).ofMinSize(1),
                Arbitraries.integers().between(0, fields.size() - 1),
                Arbitraries.integers().between(0, 9)).flatAs((chosen, hostileIndex, shape) -> {
            List<Arbitrary<String>> entries = new ArrayList<>();
            int i = 0;
            for (String field : chosen) {
                JsonNode property = resolve(schema.path("properties").path(field));
                Arbitrary<String> value = i++ == hostileIndex % chosen.size() ? hostile()
                        : property.has("properties") ? body(property, depth + 1) : plausible(property);
                entries.add(value.map(v -> quote(field) + ":" + v));
            }
            return Combinators.combine(entries).as(list -> {
                List<String> all = new ArrayList<>(list);
                if (shape == 0 && !all.isEmpty()) {
                    all.add(all.get(0)); // a repeated key
                } else if (shape == 1) {
                    all.add("\"k\\u0000\":1"); // a key PostgreSQL cannot store
                } else if (shape == 2) {
                    all.add("\"\\ud83d\":\"lone high surrogate key\"");
                }
                return "{" + String.join(",", all) + "}";
            });
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, object), net.jqwik.api.Tuple.of(1, hostile()));
    }

    /** A value of the property's documented type. */
    private static Arbitrary<String> plausible(JsonNode property) {
        if (property.has("enum") && property.get("enum").size() > 0) {
            List<String> values = new ArrayList<>();
            property.get("enum").forEach(v -> values.add(v.toString()));
            return Arbitraries.of(values);
        }
        return switch (property.path("type").asText()) {
            case "integer" -> Arbitraries.of("1", "30", "0");
            case "number" -> Arbitraries.of("1.5", "0");
            case "boolean" -> Arbitraries.of("true", "false");
            case "array" -> Arbitraries.of("[]", "[{\"email\":\"a@example.com\"}]", "[\"a\"]");
            case "object" -> Arbitraries.of("{}", "{\"api_key\":\"SG.x\"}");
            default -> Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(20).map(HostileContractProperties::quote);
        };
    }

    /** Hostile JSON values. */
    static Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.of("\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"x\\udfff\"", "\"\\udc00\\ud800\"",
                        "1e400", "-1e400", "123456789012345678901234567890123456789", "-9223372036854775809", "1.0E-400",
                        "true", "null", "[]", "{}", "\"\"", "-1", "0", "[\"\\u0000\"]", "{\"\\u0000\":\"x\"}",
                        "{\"a\":1,\"a\":2}", "\"<script>\"", "\"'; DROP TABLE tenant; --\""),
                Arbitraries.integers().between(1, 2000).map(n -> "[".repeat(n) + "]".repeat(n)),
                Arbitraries.integers().between(1, 600).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
                Arbitraries.of(1_000_000, 70_000, 300).map(n -> "\"" + "x".repeat(n) + "\""));
    }

    private static String quote(String s) {
        return Api.JSON.valueToTree(s).toString();
    }

    private static JsonNode requestSchema(Contract.Operation op) {
        JsonNode body = resolve(op.node().path("requestBody"));
        JsonNode content = body.path("content");
        JsonNode media = content.has("application/json") ? content.get("application/json")
                : content.elements().hasNext() ? content.elements().next() : Api.JSON.createObjectNode();
        return resolve(media.path("schema"));
    }

    private static List<String> queryParameters(Contract.Operation op) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : op.node().path("parameters")) {
            JsonNode parameter = resolve(p);
            if ("query".equals(parameter.path("in").asText())) {
                names.add(parameter.path("name").asText());
            }
        }
        return names;
    }

    /** Follows local {@code $ref}s (and takes the first branch of allOf/oneOf/anyOf). */
    private static JsonNode resolve(JsonNode node) {
        for (int i = 0; i < 10; i++) {
            if (node.has("$ref") && node.get("$ref").asText().startsWith("#")) {
                node = Contract.get().root().at(node.get("$ref").asText().substring(1));
            } else if (node.has("allOf") || node.has("oneOf") || node.has("anyOf")) {
                JsonNode branches = node.has("allOf") ? node.get("allOf") : node.has("oneOf") ? node.get("oneOf") : node.get("anyOf");
                node = branches.path(0);
            } else {
                return node;
            }
        }
        return node;
    }

    /**
     * Row count and checksum of every table in the public and tenant schemas: for tables with a
     * tenant column, the generated tenant's rows only (other tests' leftovers may still be worked
     * on in the background).
     */
    private static Map<String, String> snapshot() throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = TestDatabase.connect()) {
            List<String[]> tables = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT t.table_schema, t.table_name,
                           EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = t.table_schema
                                   AND k.table_name = t.table_name AND k.column_name = 'tenant_id')
                    FROM information_schema.tables t
                    WHERE t.table_type = 'BASE TABLE' AND t.table_schema NOT IN ('pg_catalog', 'information_schema')
                    """); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2), rs.getBoolean(3) ? "t" : "f"});
                }
            }
            for (String[] t : tables) {
                if (NOT_COUNTED.stream().anyMatch(t[1]::startsWith)) {
                    continue;
                }
                String name = "\"" + t[0] + "\".\"" + t[1] + "\"";
                String where = "t".equals(t[2]) ? " WHERE t.tenant_id::text = '" + tenantId + "'" : "";
                try (PreparedStatement s = c.prepareStatement("SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' "
                        + "ORDER BY md5(t::text))), '') FROM " + name + " t" + where); ResultSet rs = s.executeQuery()) {
                    rs.next();
                    sums.put(t[0] + "." + t[1], rs.getString(1));
                }
            }
        }
        return sums;
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "…";
    }
}
