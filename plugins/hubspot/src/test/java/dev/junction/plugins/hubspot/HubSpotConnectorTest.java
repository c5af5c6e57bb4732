package dev.junction.plugins.hubspot;

import dev.junction.spi.CatalogStatus;
import dev.junction.spi.CheckResult;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorCapability;
import dev.junction.testkit.ConnectorContractTest;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubSpotConnectorTest extends ConnectorContractTest {

    @Override
    protected Connector connector() {
        return new HubSpotConnector();
    }

    @Override
    protected List<ConnectorCapability> capabilities() {
        return List.of();
    }

    @Test
    void saysPlainlyThatItIsAPlaceholder() {
        HubSpotConnector c = new HubSpotConnector();
        assertEquals(CatalogStatus.PLACEHOLDER, c.descriptor().status());
        // capabilities are the extensions: the plugin's index lists the connector alone
        assertEquals(List.of(HubSpotConnector.class.getName()), extensionsIndex(), "a placeholder has no capability");
        TestContext ctx = TestContext.builder(c.descriptor()).config(Map.of("private_app_token", "pat-example")).build();
        CheckResult r = c.check(ctx);
        assertEquals("not_implemented", r.code());
        assertTrue(r.message().contains("placeholder") && r.message().contains("not verified"), r.message());
        assertTrue(ctx.eventLog().httpAttempts().isEmpty(), "it calls nobody");
    }

    /** The index PF4J reads, from the plugin's own classes (the test classes have an empty one). */
    private static List<String> extensionsIndex() {
        try {
            java.nio.file.Path classes = java.nio.file.Path.of(HubSpotConnector.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            return java.nio.file.Files.readAllLines(classes.resolve("META-INF/extensions.idx")).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
