package dev.junction.plugins.sendgrid;

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
 * SendGrid Marketing. The connection check ({@link ConnectionCheck}) probes the reads the capabilities need; the
 * capabilities are {@link SendGridEventSource}, {@link SendGridCohortSync}, {@link SendGridEventDestination}
 * and {@link SendGridObjectSync}.
 */
@Extension
public final class SendGridConnector implements Connector {

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder("sendgrid", SpiVersion.CURRENT)
            .name("SendGrid")
            .category("Marketing Automation")
            .description("Twilio SendGrid Marketing. Receives SendGrid's Event Webhook (signed or not) as "
                    + "[Sendgrid] events in the live event log. Cohort sync keeps a SendGrid Marketing list equal to a "
                    + "cohort: it creates or adopts the list by name, adds and updates members' e-mail, first and last "
                    + "name, and removes members from the list (never from the account). Event delivery upserts "
                    + "contacts from identify, page, Product Viewed and Order Completed events (name, phone, default "
                    + "list, and the custom fields junction_user_id, last_page_url, last_product_id, last_purchase_at "
                    + "and lifetime_value, created when missing), for users with an e-mail and marketing consent; "
                    + "other events are filtered, and contacts are never deleted. Object sync copies contacts (through "
                    + "SendGrid's contact export), lists, list memberships, segments and custom field definitions into "
                    + "tables, read-only; it does not copy Single Sends, automations, suppressions or engagement statistics.")
            .status(CatalogStatus.PREVIEW)
            .deliveryModes(DeliveryMode.SERVER_SIDE)
            .iconUrl("https://sendgrid.com/favicon.ico")
            .docsUrl("https://www.twilio.com/docs/sendgrid/api-reference")
            .configSchemaResource(SendGridConnector.class, "config-schema.json")
            // contact exports and import error files are pre-signed URLs "on S3" (the exports spec's
            // expires_at); SendGrid names no bucket or region, so every S3 host name is allowed
            .allowedHosts("api.sendgrid.com", "api.eu.sendgrid.com", "*.amazonaws.com")
            .requestsPerSecond(10)
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public CheckResult check(ConnectorContext context) throws ConnectorException {
        return new ConnectionCheck(new SendGridApi(context)).run();
    }
}
