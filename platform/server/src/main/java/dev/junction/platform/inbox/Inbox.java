package dev.junction.platform.inbox;

import dev.junction.platform.PlatformJson;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.tenant.TenantService;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The gateway's durable inbox: the request path commits a checked request here in one short
 * transaction and may then acknowledge it; {@link InboxProcessors} store its events behind.
 */
@Singleton
public class Inbox {

    /** Headers never stored: credentials (checked before the append) and nothing a processor needs. */
    private static final Set<String> NOT_STORED = Set.of("authorization", "proxy-authorization", "cookie");

    private final InboxRepository entries;
    private final Backlog backlog;
    private final InboxProcessors processors;
    private final TransactionOperations<Connection> tx;

    Inbox(InboxRepository entries, Backlog backlog, InboxProcessors processors, TransactionOperations<Connection> tx) {
        this.entries = entries;
        this.backlog = backlog;
        this.processors = processors;
        this.tx = tx;
    }

    /**
     * Commits a request to the inbox (in its own transaction): once this returns, the request is
     * durable and may be acknowledged. Refuses it past the tenant's bound (429) or the total (503).
     *
     * @param stream the installation or source whose order the request keeps
     * @param events how many events the request carries
     */
    public long append(TenantId tenant, UUID stream, String kind, Instant receivedAt, int events,
                       Map<String, List<String>> headers, byte[] body) {
        backlog.admit(tenant, events);
        Map<String, List<String>> kept = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_STORED.contains(lower)) {
                kept.put(lower, values);
            }
        });
        String headersJson = PlatformJson.write(kept);
        long id = tx.executeWrite(s -> entries.append(tenant, stream, kind, receivedAt, events, headersJson, body));
        backlog.acknowledged(tenant, events);
        processors.wake();
        return id;
    }

    @EventListener
    void onTenantDeleted(TenantService.TenantDeleted event) {
        entries.deleteAll(event.tenant());
    }
}
