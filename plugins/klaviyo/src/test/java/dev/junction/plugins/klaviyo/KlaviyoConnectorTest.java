package dev.junction.plugins.klaviyo;

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

class KlaviyoConnectorTest extends ConnectorContractTest {

    @Override
    protected Connector connector() {
        return new KlaviyoConnector();
    }

    @Override
    protected List<ConnectorCapability> capabilities() {
        return List.of();
    }

    @Test
    void saysPlainlyThatItIsAPlaceholder() {
        KlaviyoConnector c = new KlaviyoConnector();
        assertEquals(CatalogStatus.PLACEHOLDER, c.descriptor().status());
        assertTrue(c.descriptor().capabilities().isEmpty(), "a placeholder claims no capability");
        TestContext ctx = TestContext.builder(c.descriptor()).config(Map.of("private_api_key", "pk_example")).build();
        CheckResult r = c.check(ctx);
        assertEquals("not_implemented", r.code());
        assertTrue(r.message().contains("placeholder") && r.message().contains("not verified"), r.message());
        assertTrue(ctx.eventLog().httpAttempts().isEmpty(), "it calls nobody");
    }
}
