package dev.junction.platform.inbox;

import dev.junction.platform.tenancy.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One acknowledged request waiting in the inbox, exactly as received.
 *
 * @param stream   what order is kept by: a webhook's installation, a tracking source
 * @param kind     which {@link InboxHandler} processes it
 * @param events   how many events the request carries (counted by the shape check before the ack)
 * @param headers  the request headers a processor may need (never credentials: see {@link Inbox})
 * @param attempts how many times processing failed transiently before
 */
public record InboxEntry(long id, TenantId tenant, UUID stream, String kind, Instant receivedAt, int events,
                         Map<String, List<String>> headers, byte[] body, int attempts) {

    /** Ids and sizes only: bodies and headers stay out of log lines. */
    @Override
    public String toString() {
        return "InboxEntry[" + id + ", " + kind + ", stream " + stream + ", " + events + " events, " + body.length + " bytes]";
    }
}
