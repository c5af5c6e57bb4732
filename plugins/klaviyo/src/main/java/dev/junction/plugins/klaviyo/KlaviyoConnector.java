package dev.junction.plugins.klaviyo;

import dev.junction.spi.CatalogStatus;
import dev.junction.spi.CheckResult;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.DeliveryMode;
import dev.junction.spi.SpiVersion;
import org.pf4j.Extension;

/**
 * Klaviyo, in preview. The check verifies the key and the access cohort sync needs
 * ({@link ConnectionCheck}); see plugins/klaviyo/README.md for what it does not do yet.
 */
@Extension
public final class KlaviyoConnector implements Connector {

    static final String DESCRIPTION = "Klaviyo (preview). The connection check verifies the private API key and its "
            + "access to lists and profiles. Cohort sync keeps a Klaviyo list equal to a cohort: it creates or adopts the "
            + "list by name (or uses default_list_id), adds members' e-mail, first and last name through profile bulk "
            + "import jobs and reports each refused profile, and removes from the list only the members it added (never "
            + "deleting profiles). Adding to a list does not change consent; with subscribe_members, members are "
            + "subscribed to e-mail marketing instead. Event delivery (server side): identify creates or updates the "
            + "profile (e-mail, user id as external_id, names, phone, other traits as properties), track becomes an event "
            + "of the same name (Order Completed with its revenue as value), page a Viewed Page event, each once even "
            + "when replayed; events without marketing consent are filtered. It does not yet sync objects, receive "
            + "webhooks or subscribe event users to marketing.";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder("klaviyo", SpiVersion.CURRENT)
            .name("Klaviyo")
            .category("Marketing Automation")
            .description(DESCRIPTION)
            .status(CatalogStatus.PREVIEW)
            .deliveryModes(DeliveryMode.SERVER_SIDE)
            .docsUrl("https://developers.klaviyo.com/en/reference/api_overview")
            .configSchemaResource(KlaviyoConnector.class, "config-schema.json")
            .allowedHosts("a.klaviyo.com")
            // One figure per connector is all SPI 1.0 offers: Klaviyo's slowest endpoint class the sync
            // uses (lists and bulk jobs, burst 10/s); finer per-endpoint limits come back as 429 with
            // Retry-After, which the platform's client waits out.
            .requestsPerSecond(10)
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public CheckResult check(ConnectorContext context) throws ConnectorException {
        return new ConnectionCheck(new KlaviyoApi(context)).run();
    }
}
