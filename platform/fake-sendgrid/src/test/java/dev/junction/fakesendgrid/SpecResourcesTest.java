package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled OpenAPI documents are the unmodified files SOURCE.md lists, and every modeled route is in them. */
class SpecResourcesTest {
    static byte[] resource(String name) throws Exception {
        try (InputStream in = SpecResourcesTest.class.getClassLoader().getResourceAsStream(SpecValidator.RESOURCE_DIR + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    @Test
    void bundledSpecsMatchTheChecksumsInSourceMd() throws Exception {
        String source = new String(resource("SOURCE.md"), StandardCharsets.UTF_8);
        for (String file : List.of("tsg_mc_contacts_v3.json", "tsg_mc_lists_v3.json", "tsg_mc_custom_fields_v3.json",
                "tsg_scopes_v3.json", "oai_v3_stoplight.json")) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(resource(file)));
            assertTrue(source.contains(sha), file + " sha256 " + sha + " is not the one SOURCE.md lists");
        }
        assertTrue(new String(resource("LICENSE-sendgrid-oai.txt"), StandardCharsets.UTF_8).contains("MIT License"));
    }

    @Test
    void everyModeledRouteIsAnOperationOfTheSpec() {
        SpecValidator spec = new SpecValidator();
        java.util.Set<String> specOps = new java.util.HashSet<>();
        spec.operations().forEach(op -> specOps.add(op.method + " " + op.template));
        java.util.Set<String> routes = new Api(new Store(), null, "http://x", 100, new ApiKeys("SG.x")).routeKeys();
        assertEquals(26, routes.size());
        for (String route : routes) {
            assertTrue(specOps.contains(route), route + " is not an operation of the bundled specs");
        }
        assertEquals("UpdateContact", spec.match("PUT", "/v3/marketing/contacts").orElseThrow().operation().operationId());
        assertEquals("/v3/marketing/contacts/count", spec.match("GET", "/v3/marketing/contacts/count").orElseThrow().operation().template);
        assertEquals("/v3/marketing/segments/2.0", spec.match("GET", "/v3/marketing/segments/2.0").orElseThrow().operation().template);
    }
}
