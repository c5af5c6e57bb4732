package dev.junction.platform.eventlog;

import dev.junction.platform.tenancy.TenantId;
import dev.junction.runtime.http.HttpAttempt;
import dev.junction.spi.EventLog;

import java.util.Map;
import java.util.UUID;

/**
 * Where what connectors do is recorded: their own log entries and every outbound HTTP attempt
 * (already masked). The live event log implements it.
 */
public interface ConnectorActivityLog {

    /** An entry a connector wrote through {@link EventLog}. */
    void entry(TenantId tenant, UUID installationId, String connector, EventLog.Level level, String name,
               String message, Map<String, Object> fields);

    /** One outbound HTTP attempt of a connector. */
    void httpAttempt(TenantId tenant, UUID installationId, String connector, HttpAttempt attempt);
}
