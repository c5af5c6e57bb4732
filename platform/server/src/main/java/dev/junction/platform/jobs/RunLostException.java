package dev.junction.platform.jobs;

/**
 * The run is no longer this attempt's: another replica took it over, or it was deleted with its
 * installation or sync. Thrown by {@link RunQueue#recordProgress} so that the caller's transaction
 * rolls back instead of writing on behalf of an attempt that lost the run.
 */
public final class RunLostException extends RuntimeException {

    RunLostException() {
        super("the run is no longer this replica's (taken over, or deleted)", null, false, false);
    }
}
