package dev.junction.platform.launch;

/** Start-up cannot proceed; the message tells the operator what to do, and is all they see. */
public final class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message, null, false, false);
    }
}
