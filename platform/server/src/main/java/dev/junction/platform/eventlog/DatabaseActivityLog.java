package dev.junction.platform.eventlog;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.runtime.http.HttpAttempt;
import dev.junction.spi.EventLog;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Connector activity into the live event log: entries a connector writes (kind
 * {@code connector_log}) and each outbound HTTP attempt (kind {@code http_call}, direction
 * outbound, with status, latency and masked, truncated bodies). A failure to record is logged and
 * does not fail the connector's work.
 */
@Singleton
final class DatabaseActivityLog implements ConnectorActivityLog {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseActivityLog.class);
    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    private final EventLogService events;

    DatabaseActivityLog(EventLogService events) {
        this.events = events;
    }

    @Override
    public void entry(TenantId tenant, UUID installationId, String connector, EventLog.Level level, String name,
                      String message, Map<String, Object> fields) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("connector", connector);
        payload.put("level", level.name().toLowerCase(Locale.ROOT));
        payload.put("message", message);
        payload.put("fields", fields);
        record(tenant, new NewEvent(installationId, NewEvent.Direction.INTERNAL, "connector_log", name,
                level.name().toLowerCase(Locale.ROOT), null, null, null, null, PlatformJson.write(payload)));
    }

    @Override
    public void httpAttempt(TenantId tenant, UUID installationId, String connector, HttpAttempt a) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("connector", connector);
        payload.put("method", a.method());
        payload.put("url", a.url());
        payload.put("attempt", a.attempt());
        payload.put("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
        payload.put("latency_ms", a.latency().toMillis());
        payload.put("started_at", a.startedAt());
        payload.put("request_headers", a.requestHeaders());
        payload.put("request_body", a.requestBody());
        payload.put("status", a.status());
        payload.put("error", a.error());
        payload.put("response_body", a.responseBody());
        String status = switch (a.outcome()) {
            case RETURNED -> a.status() != null && a.status() < 400 ? "succeeded" : "failed";
            case RATE_LIMITED_RETRYING, RETRYING -> "retrying";
            case GAVE_UP -> "failed";
        };
        record(tenant, new NewEvent(installationId, NewEvent.Direction.OUTBOUND, "http_call",
                a.method() + " " + path(a.url()), status, a.status(), a.startedAt(), null, null, PlatformJson.write(payload)));
    }

    private void record(TenantId tenant, NewEvent e) {
        try {
            events.record(tenant, List.of(e));
        } catch (RuntimeException ex) {
            LOG.warn("Could not record connector activity {} of tenant {}: {}", e.name(), tenant, ex.getMessage());
        }
    }

    private static String path(String url) {
        try {
            String p = URI.create(url).getPath();
            return p == null || p.isEmpty() ? "/" : p;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

}
