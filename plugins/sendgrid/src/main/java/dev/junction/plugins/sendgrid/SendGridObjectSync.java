package dev.junction.plugins.sendgrid;

import dev.junction.spi.Pause;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ObjectSync;
import dev.junction.spi.objects.RecordSink;
import org.pf4j.Extension;

import java.util.List;

/**
 * Pulls SendGrid Marketing objects into tables ({@code object_sync}): {@code custom_field_definitions},
 * {@code lists}, {@code segments}, {@code contacts} and {@code list_memberships} (see
 * {@link SendGridCollections} for the columns).
 *
 * <p>A pass reads field definitions ({@code GET /v3/marketing/field_definitions}), lists (paged with
 * {@code page_size=1000} and {@code page_token}), segments ({@code /v3/marketing/segments/2.0}, each
 * read once more for its query), then every contact through a JSON contact export streamed line by
 * line, and list memberships from the export's lines when they carry list ids, otherwise from one
 * export per list. Each collection is completed only after a whole pass over it. 429s and 5xx are
 * the platform HTTP client's to retry; when it gives up, the pass ends with its
 * {@code RetriableConnectorException}. See plugins/sendgrid/README.md.
 */
@Extension
public final class SendGridObjectSync implements ObjectSync {

    private final Pause pause;
    private final int listPageSize;

    /** The extension the platform creates: waits between export polls really sleep. */
    public SendGridObjectSync() {
        this(Pause.system(), ObjectPass.LIST_PAGE_SIZE);
    }

    /** For tests: how to wait between polls, and lists per page (SendGrid's maximum in production). */
    SendGridObjectSync(Pause pause, int listPageSize) {
        this.pause = pause;
        this.listPageSize = listPageSize;
    }

    @Override
    public List<CollectionSpec> collections() {
        return SendGridCollections.ALL;
    }

    @Override
    public void sync(ConnectorContext context, RecordSink sink) throws ConnectorException {
        new ObjectPass(context, sink, pause, listPageSize).run();
    }
}
