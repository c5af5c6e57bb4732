package dev.junction.plugins.sendgrid;

import dev.junction.spi.Capability;
import dev.junction.spi.CatalogStatus;
import dev.junction.spi.CheckResult;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.DeliveryMode;
import dev.junction.spi.HttpResult;
import dev.junction.spi.SpiVersion;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * SendGrid Marketing. The connection check verifies the key and its Marketing permissions; the
 * capabilities are {@link SendGridEventSource}, {@link SendGridCohortSync}, {@link SendGridEventDestination}
 * and {@link SendGridObjectSync}.
 */
@Extension
public final class SendGridConnector implements Connector {

    /**
     * The API key permissions the SendGrid features need. SendGrid's teammate-permissions
     * documentation lists Marketing Campaigns access as {@code marketing_campaigns.create/read/update/delete}
     * plus {@code marketing.read}; we require all of them.
     */
    static final Set<String> REQUIRED_SCOPES = Set.of("marketing.read", "marketing_campaigns.create",
            "marketing_campaigns.read", "marketing_campaigns.update", "marketing_campaigns.delete");

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
            .capabilities(Capability.EVENT_SOURCE, Capability.COHORT_SYNC, Capability.EVENT_DESTINATION, Capability.OBJECT_SYNC)
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
        SendGridApi api = new SendGridApi(context);
        HttpResult r = api.get("/v3/scopes");
        if (r.status() == 401) {
            return CheckResult.failed("invalid_credentials", "SendGrid rejected the API key: invalid API key");
        }
        if (r.status() == 403) {
            return CheckResult.failed("forbidden", "SendGrid refused to list the key's permissions ("
                    + api.errorMessage(r) + "); the key needs at least read access to its own scopes");
        }
        if (!r.isSuccess()) {
            return CheckResult.failed("unexpected_response", "SendGrid answered " + r.status() + " to GET /v3/scopes: "
                    + api.errorMessage(r));
        }
        Set<String> granted;
        try {
            granted = scopes(context, r);
        } catch (IllegalArgumentException notJson) {
            return CheckResult.failed("unexpected_response", "SendGrid's answer to GET /v3/scopes was not JSON");
        }
        List<String> missing = new ArrayList<>(new TreeSet<>(REQUIRED_SCOPES));
        missing.removeAll(granted);
        if (!missing.isEmpty()) {
            return CheckResult.failed("missing_scopes", "The API key lacks the Marketing permissions Junction needs: "
                    + String.join(", ", missing) + ". Edit the key in SendGrid (Settings > API Keys) and grant them.",
                    Map.of("missing_scopes", missing));
        }
        return CheckResult.ok("API key valid, with the Marketing permissions Junction needs");
    }

    private static Set<String> scopes(ConnectorContext context, HttpResult r) {
        Set<String> out = new TreeSet<>();
        if (context.json().parse(r.body()) instanceof Map<?, ?> m && m.get("scopes") instanceof Collection<?> c) {
            c.forEach(s -> out.add(String.valueOf(s)));
        }
        return out;
    }
}
