package dev.junction.platform.eventlog;

/**
 * How the event log names a message of the tracking API, wherever its entry is written: when it
 * is received (ingest) and when it is delivered (delivery), so both entries of a message match.
 */
public final class TrackedMessageName {

    private TrackedMessageName() {
    }

    /** The track event, else the type (and page name). */
    public static String of(String type, String event) {
        return switch (type) {
            case "track" -> event;
            case "page" -> event == null ? "Page" : "Page: " + event;
            default -> "Identify";
        };
    }
}
