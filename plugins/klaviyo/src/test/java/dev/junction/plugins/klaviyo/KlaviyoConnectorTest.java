package dev.junction.plugins.klaviyo;

import dev.junction.spi.CatalogStatus;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorCapability;
import dev.junction.testkit.ConnectorContractTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlaviyoConnectorTest extends ConnectorContractTest {

    @Override
    protected Connector connector() {
        return new KlaviyoConnector();
    }

    @Override
    protected List<ConnectorCapability> capabilities() {
        return List.of(new KlaviyoCohortSync(), new KlaviyoEventDestination());
    }

    @Test
    void isAPreviewThatSaysWhatItDoesNotDo() {
        KlaviyoConnector c = new KlaviyoConnector();
        assertEquals(CatalogStatus.PREVIEW, c.descriptor().status());
        String d = c.descriptor().description();
        assertTrue(d.contains("does not yet") && d.contains("sync objects") && d.contains("webhooks"), d);
        assertTrue(d.contains("Event delivery") && d.contains("Viewed Page") && d.contains("consent are filtered"), d);
        assertTrue(d.contains("Cohort sync") && d.contains("does not change consent"), d);
        assertTrue(c.descriptor().configSchema().contains("\"subscribe_members\""));
    }
}
