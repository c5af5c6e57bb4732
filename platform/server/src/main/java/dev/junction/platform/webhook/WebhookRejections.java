package dev.junction.platform.webhook;

import dev.junction.platform.PlatformJson;
import dev.junction.platform.eventlog.EventLogService;
import dev.junction.platform.eventlog.NewEvent;
import dev.junction.platform.metrics.PlatformMetrics;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Records a refused or unprocessable webhook request in the tenant's event log, and counts it. */
@Singleton
class WebhookRejections {

    private final EventLogService eventLog;
    private final PlatformMetrics metrics;

    WebhookRejections(EventLogService eventLog, PlatformMetrics metrics) {
        this.eventLog = eventLog;
        this.metrics = metrics;
    }

    /** A request refused before the ack: counted and logged, never failing the refusal. */
    void refused(TenantId tenant, UUID installation, String connector, String status, int httpStatus, String reason, int bytes) {
        metrics.webhookRequest(connector, "rejected".equals(status) ? "refused_signature" : status);
        try {
            eventLog.record(tenant, List.of(entry(installation, status, httpStatus, reason, bytes, null)));
        } catch (RuntimeException e) {
            // the rejection stands even when it cannot be logged
        }
    }

    /**
     * An acknowledged request the processor cannot store (in the processor's transaction). The body
     * goes into the entry when it is JSON, so what was acknowledged is not lost.
     */
    void unprocessable(TenantId tenant, UUID installation, String connector, String status, String reason, byte[] body) {
        metrics.webhookRequest(connector, status);
        Object kept;
        try {
            kept = PlatformJson.MAPPER.readTree(body);
        } catch (java.io.IOException notJson) {
            kept = null;
        }
        eventLog.record(tenant, List.of(entry(installation, status, 400, reason, body.length, kept)));
    }

    private static NewEvent entry(UUID installation, String status, int httpStatus, String reason, int bytes, Object body) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("reason", reason);
        payload.put("body_bytes", bytes);
        if (body != null) {
            payload.put("body", body);
        }
        return new NewEvent(installation, NewEvent.Direction.INBOUND, "webhook_rejected", "webhook " + status, status,
                httpStatus, null, null, null, PlatformJson.write(payload));
    }
}
