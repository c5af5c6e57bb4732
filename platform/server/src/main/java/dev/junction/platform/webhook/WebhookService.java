package dev.junction.platform.webhook;

import dev.junction.platform.installation.ConnectorSessions;
import dev.junction.platform.installation.ConnectorSession;
import dev.junction.platform.tracing.Tracing;
import dev.junction.platform.security.RandomCredentials;
import dev.junction.platform.inbox.Inbox;
import dev.junction.platform.inbox.JsonShape;
import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.plugin.ConnectorUnavailableException;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.source.EventSource;
import dev.junction.spi.source.SourceEvent;
import dev.junction.spi.source.WebhookRequest;
import dev.junction.spi.source.WebhookVerification;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-installation webhook URLs, and the inbound pipeline every event source shares: resolve the
 * URL, check optional basic auth, let the connector verify the signature over the raw bytes,
 * check the body's JSON shape, commit the raw request to the ingest inbox and answer 2xx; the
 * inbox's processors normalise and store the events behind ({@link WebhookInboxHandler}).
 */
@Singleton
public class WebhookService {

    /** How long a verified basic-auth header is trusted without re-hashing (PBKDF2 is slow on purpose). */
    private static final Duration BASIC_AUTH_CACHE = Duration.ofSeconds(60);

    private final Tracing tracing;
    private final WebhookEndpointRepository endpoints;
    private final WebhookRouteLookup routes;
    private final InstallationService installations;
    private final ConnectorRegistry registry;
    private final ConnectorSessions sessions;
    private final Inbox inbox;
    private final WebhookRejections rejections;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final String publicUrl;
    private final Map<UUID, CachedAuth> verifiedAuth = new ConcurrentHashMap<>();
    private final PlatformMetrics metrics;

    private record CachedAuth(byte[] headerHash, Instant until) { }

    WebhookService(WebhookEndpointRepository endpoints, WebhookRouteLookup routes, InstallationService installations,
                   ConnectorRegistry registry, ConnectorSessions sessions, Inbox inbox, WebhookRejections rejections,
                   TransactionOperations<Connection> tx, Clock clock,
                   @Property(name = "junction.public-url", defaultValue = "http://localhost:8084") String publicUrl,
                   PlatformMetrics metrics, Tracing tracing) {
        this.tracing = tracing;
        this.inbox = inbox;
        this.rejections = rejections;
        this.metrics = metrics;
        this.endpoints = endpoints;
        this.routes = routes;
        this.installations = installations;
        this.registry = registry;
        this.sessions = sessions;
        this.tx = tx;
        this.clock = clock;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** The URL a vendor posts to for this webhook id. */
    public String url(String webhookId) {
        return publicUrl + "/v1/webhooks/" + webhookId;
    }

    /** Gives an installation its first webhook URL (inside the installing transaction). */
    void createFor(TenantId tenant, UUID installation) {
        endpoints.insert(tenant, installation, RandomCredentials.newValue(), now());
    }

    /** An installation's webhook: the current URL, and the previous one while its grace period lasts. */
    public record WebhookInfo(String url, Instant createdAt, String previousUrl, Instant previousExpiresAt,
                              String basicAuthUsername) { }

    public Optional<WebhookInfo> info(TenantId tenant, UUID installation) {
        return tx.executeRead(s -> {
            Instant now = now();
            List<WebhookEndpointRepository.Endpoint> all = endpoints.list(tenant, installation);
            Optional<WebhookEndpointRepository.Endpoint> current = all.stream().filter(e -> e.expiresAt() == null).findFirst();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Optional<WebhookEndpointRepository.Endpoint> previous = all.stream()
                    .filter(e -> e.expiresAt() != null && e.expiresAt().isAfter(now)).findFirst();
            String user = endpoints.basicAuth(tenant, installation).map(WebhookEndpointRepository.BasicAuth::username).orElse(null);
            return Optional.of(new WebhookInfo(url(current.get().webhookId()), current.get().createdAt(),
                    previous.map(p -> url(p.webhookId())).orElse(null), previous.map(WebhookEndpointRepository.Endpoint::expiresAt).orElse(null),
                    user));
        });
    }

    /**
     * Issues a new URL. The old one stops working after {@code grace} (zero: at once), so the
     * vendor can be reconfigured without losing events.
     */
    public WebhookInfo rotate(TenantId tenant, UUID installation, Duration grace) {
        requireEventSource(tenant, installation);
        tx.executeWrite(s -> {
            Instant now = now();
            endpoints.deleteExpired(tenant, installation, now);
            endpoints.expireCurrent(tenant, installation, now.plus(grace));
            endpoints.insert(tenant, installation, RandomCredentials.newValue(), now);
            return null;
        });
        return info(tenant, installation).orElseThrow();
    }

    /** Requires HTTP Basic credentials from the sender (null: no longer required). */
    public WebhookInfo setBasicAuth(TenantId tenant, UUID installation, String username, String password) {
        requireEventSource(tenant, installation);
        tx.executeWrite(s -> {
            if (username == null) {
                endpoints.deleteBasicAuth(tenant, installation);
            } else {
                endpoints.putBasicAuth(tenant, installation, BasicAuthHashing.create(username, password));
            }
            return null;
        });
        verifiedAuth.remove(installation);
        return info(tenant, installation).orElseThrow();
    }

    private void requireEventSource(TenantId tenant, UUID installation) {
        Installation i = installations.get(tenant, installation);
        if (registry.find(i.connector()).map(e -> !e.has(Capability.EVENT_SOURCE)).orElse(true)) {
            throw ApiException.unprocessable("no-webhook", "No webhook", "The " + i.connector()
                    + " integration does not receive webhooks");
        }
    }

    /** The answer to a webhook request: how many events it carried, now durable and queued for processing. */
    public record Receipt(int accepted) { }

    /**
     * The request path of the gateway. 404 for an unknown, expired or disabled URL; 401 for missing
     * basic auth; 403 when the connector's signature check fails; 400 for a body that is not a JSON
     * array or object; 429/503 past the inbox's bounds; 2xx only after the raw request is committed
     * to the inbox. Normalising, deduplicating and storing the events happen behind
     * ({@link WebhookInboxHandler}): duplicates are no longer known when answering.
     */
    public Receipt receive(String webhookId, Map<String, List<String>> headers, byte[] body) {
        try {
            return tracing.span("webhook.ingest", () -> verifyAndQueue(webhookId, headers, body));
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                metrics.webhookRequest(null, "unknown_url"); // no connector: the URL resolved to none
            }
            throw e;
        }
    }

    private Receipt verifyAndQueue(String webhookId, Map<String, List<String>> headers, byte[] body) {
        Instant receivedAt = now();
        if (!RandomCredentials.wellFormed(webhookId)) {
            throw unknownWebhook();
        }
        WebhookRouteLookup.Route route = tx.executeRead(s -> routes.resolve(webhookId)).orElseThrow(WebhookService::unknownWebhook);
        if (route.expiresAt() != null && !route.expiresAt().isAfter(receivedAt)) {
            throw unknownWebhook();
        }
        Installation installation;
        try {
            installation = installations.get(route.tenant(), route.installationId());
        } catch (ApiException gone) {
            throw unknownWebhook();
        }
        if (installation.status() != Installation.Status.ENABLED) {
            throw unknownWebhook();
        }
        String connector = installation.connector();
        ConnectorEntry entry = registry.find(connector).orElseThrow(WebhookService::unknownWebhook);
        EventSource source = entry.capability(Capability.EVENT_SOURCE, EventSource.class).orElseThrow(WebhookService::unknownWebhook);
        checkBasicAuth(route, installation.connector(), headers);

        ConnectorSession session = sessions.forInstallation(entry, installation);
        WebhookRequest request = new WebhookRequest("POST", headers, body, receivedAt);
        try {
            WebhookVerification verdict = session.invoke("verify", context -> source.verify(context, request));
            if (verdict == null || !verdict.accepted()) {
                String reason = verdict == null ? "verify returned nothing" : verdict.reason();
                rejections.refused(route.tenant(), route.installationId(), connector, "rejected", 403, reason, body.length);
                throw new ApiException(HttpStatus.FORBIDDEN, "webhook-rejected", "Webhook rejected",
                        "The request's signature or timestamp did not verify", List.of());
            }
        } catch (PermanentConnectorException e) {
            rejections.refused(route.tenant(), route.installationId(), connector, "malformed", 400, e.getMessage(), body.length);
            throw ApiException.badRequest(e.getMessage());
        } catch (ConnectorUnavailableException e) {
            // the reason is for the tenant and operators (catalog, event log), not for whoever posts
            rejections.refused(route.tenant(), route.installationId(), connector, "unavailable", 503, e.getMessage(), body.length);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "webhook-unavailable", "Try again later",
                    "The receiving integration is temporarily unavailable", List.of());
        } catch (ConnectorException e) {
            metrics.webhookRequest(connector, "unavailable");
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "webhook-unavailable", "Try again later",
                    e.getMessage(), List.of());
        }
        int events;
        try {
            events = JsonShape.events(body);
        } catch (JsonShape.NotJson e) {
            rejections.refused(route.tenant(), route.installationId(), connector, "malformed", 400, e.getMessage(), body.length);
            throw ApiException.badRequest(e.getMessage());
        }
        inbox.append(route.tenant(), route.installationId(), WebhookInboxHandler.KIND, receivedAt, events, headers, body);
        metrics.webhookRequest(connector, "accepted");
        return new Receipt(events);
    }

    /**
     * Published inside the transaction that stores a webhook batch in the event log, so that a
     * listener's own writes (object sync's events table) commit with it or not at all. Carries
     * every event of the batch, duplicates included: listeners deduplicate by the dedupe key.
     */
    public record WebhookEventsStored(TenantId tenant, UUID installationId, List<SourceEvent> events, Instant receivedAt) { }

    private void checkBasicAuth(WebhookRouteLookup.Route route, String connector, Map<String, List<String>> headers) {
        Optional<WebhookEndpointRepository.BasicAuth> required = tx.executeRead(s -> endpoints.basicAuth(route.tenant(), route.installationId()));
        if (required.isEmpty()) {
            return;
        }
        String header = headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("authorization"))
                .flatMap(h -> h.getValue().stream()).findFirst().orElse("");
        byte[] headerHash = RandomCredentials.hash(header);
        CachedAuth cached = verifiedAuth.get(route.installationId());
        if (cached != null && cached.until().isAfter(now()) && MessageDigest.isEqual(cached.headerHash(), headerHash)) {
            return;
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon >= 0 && BasicAuthHashing.matches(required.get(), decoded.substring(0, colon), decoded.substring(colon + 1))) {
                    verifiedAuth.put(route.installationId(), new CachedAuth(headerHash, now().plus(BASIC_AUTH_CACHE)));
                    return;
                }
            } catch (IllegalArgumentException notBase64) {
                // falls through to 401
            }
        }
        rejections.refused(route.tenant(), route.installationId(), connector, "unauthenticated", 401,
                "missing or wrong HTTP Basic credentials", 0);
        throw new BasicAuthRequiredException();
    }

    private static ApiException unknownWebhook() {
        return ApiException.notFound("Webhook");
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

}
