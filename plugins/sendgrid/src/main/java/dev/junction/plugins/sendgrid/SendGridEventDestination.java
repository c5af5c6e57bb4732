package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.destination.DeliveryOutcome;
import dev.junction.spi.destination.DestinationEvent;
import dev.junction.spi.destination.EventDestination;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivers a tenant's identify, page and track events to SendGrid Marketing contacts
 * ({@code event_destination}).
 *
 * <p>Each event becomes changes of the contact with the user's e-mail ({@link EventMapping}):
 * identify sets the name, phone and {@code junction_user_id} and adds the contact to the
 * installation's {@code default_list_id}; page sets {@code last_page_url}; {@code Product Viewed}
 * sets {@code last_product_id}; {@code Order Completed} sets {@code last_purchase_at} and
 * {@code lifetime_value}. Events a user refused marketing consent for are filtered, and so are
 * events without consent data when {@code send_events_without_consent} is false. The batch's
 * changes are coalesced into one contact per e-mail and upserted with as few
 * {@code PUT /v3/marketing/contacts} requests as possible ({@link DestinationBatch}); custom field
 * ids are resolved by name and cached ({@link CustomFieldCatalog}). Upserts are idempotent, so a
 * batch delivered again after a retry ends in the same state. See plugins/sendgrid/README.md.
 */
@Extension
public final class SendGridEventDestination implements EventDestination {

    /**
     * Events per call. 500 contacts are about 100 KB, far below SendGrid's 30,000 contacts or 6 MB
     * per request, and finding the events at fault in a refused batch takes at most about twenty
     * requests, which leaves room within the platform's call limit.
     */
    static final int MAX_BATCH_SIZE = 500;

    @Override
    public int maxBatchSize() {
        return MAX_BATCH_SIZE;
    }

    @Override
    public List<DeliveryOutcome> deliver(ConnectorContext context, List<DestinationEvent> batch) throws ConnectorException {
        DeliveryOutcomes outcomes = new DeliveryOutcomes();
        String listId = context.config().string("default_list_id").filter(id -> !id.isBlank()).orElse(null);
        EventMapping mapping = new EventMapping(context.config().bool(EventMapping.SEND_WITHOUT_CONSENT, true),
                context.config().bool(EventMapping.USER_ID_AS_EXTERNAL_ID, false), listId != null, context.log());
        List<ContactChanges> changes = new ArrayList<>(batch.size());
        for (DestinationEvent event : batch) {
            mapping.map(event, outcomes).ifPresent(changes::add);
        }
        new DestinationBatch(context, outcomes, listId).deliver(changes);
        return outcomes.inOrderOf(batch);
    }
}
