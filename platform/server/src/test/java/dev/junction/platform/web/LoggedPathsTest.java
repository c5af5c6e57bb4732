package dev.junction.platform.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The webhook id, an unsigned webhook's only credential, never reaches a log line with its path. */
class LoggedPathsTest {

    @Test
    void webhookIdsAreMaskedOtherPathsKept() {
        assertEquals("/v1/webhooks/***", LoggedPaths.masked("/v1/webhooks/Zk3q9xY0aB7cD2eF4gH6iJ8kL1mN3oP5"));
        assertEquals("/v1/webhooks/***", LoggedPaths.masked("//v1//webhooks/abc"));
        assertEquals("/v1/webhooks/***/extra", LoggedPaths.masked("/v1/webhooks/abc/extra"));
        assertEquals("/v1/admin/installations/42", LoggedPaths.masked("/v1/admin/installations/42"));
        assertEquals(null, LoggedPaths.masked(null));
    }
}
