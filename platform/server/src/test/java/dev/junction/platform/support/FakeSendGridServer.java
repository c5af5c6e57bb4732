package dev.junction.platform.support;

import dev.junction.fakesendgrid.FakeSendGrid;

import java.util.Map;

/**
 * One fake SendGrid for the whole test JVM, wired into the server as the operator's
 * {@code JUNCTION_SENDGRID_API_URL} would be. Tests reset what they change.
 */
public final class FakeSendGridServer {

    private static FakeSendGrid fake;

    private FakeSendGridServer() {
    }

    public static synchronized FakeSendGrid get() {
        if (fake == null) {
            fake = FakeSendGrid.start();
        }
        return fake;
    }

    /** Properties pointing the SendGrid connector at the fake. */
    public static Map<String, String> properties() {
        return Map.of("junction.sendgrid.api-url", get().baseUrl());
    }
}
