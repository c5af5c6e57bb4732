package dev.junction.plugins.hubspot;

import dev.junction.spi.CatalogStatus;
import dev.junction.spi.CheckResult;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.DeliveryMode;
import dev.junction.spi.SpiVersion;
import org.pf4j.Extension;

/**
 * HubSpot, as a placeholder: a real catalog entry and config schema so the integration can be seen
 * and installed, but no capability and no call to HubSpot. The check says so instead of pretending
 * to verify anything.
 */
@Extension
public final class HubSpotConnector implements Connector {

    static final String NOT_IMPLEMENTED = "The HubSpot connector is a placeholder: it does not connect to HubSpot yet, "
            + "so the credentials were stored but not verified, and nothing is synced.";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder("hubspot", SpiVersion.CURRENT)
            .name("HubSpot")
            .category("Marketing Automation")
            .description("Placeholder. Not implemented yet: installing it stores the credentials (encrypted) and nothing "
                    + "else. It does not verify them, does not call HubSpot, and syncs no data.")
            .status(CatalogStatus.PLACEHOLDER)
            .deliveryModes(DeliveryMode.SERVER_SIDE)
            .docsUrl("https://developers.hubspot.com/docs/api/private-apps")
            .configSchemaResource(HubSpotConnector.class, "config-schema.json")
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Succeeds so the placeholder can be installed, with a code and message that say nothing was checked. */
    @Override
    public CheckResult check(ConnectorContext context) {
        return new CheckResult(true, "not_implemented", NOT_IMPLEMENTED, java.util.Map.of());
    }
}
