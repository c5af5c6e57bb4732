package dev.junction.platform.inbox;

/**
 * Processes the inbox entries of one kind. {@link #process} runs inside the processor's
 * transaction, which also deletes the entry: whatever it writes commits with the deletion or not
 * at all, so an acknowledged request is stored exactly once whatever fails when.
 */
public interface InboxHandler {

    /** The {@link InboxEntry#kind()} this handler processes. */
    String kind();

    /**
     * Stores the entry's events (in the caller's transaction). A request that can never be
     * processed is recorded as rejected and returns normally; a passing failure throws
     * {@link RetryLater} and the entry is tried again after a backoff, its stream waiting for it.
     */
    void process(InboxEntry entry);

    /**
     * Stores consecutive entries of one stream, oldest first, in the caller's transaction (the
     * processor batches small requests); by default one by one. Same contract as {@link #process}.
     */
    default void process(java.util.List<InboxEntry> entries) {
        entries.forEach(this::process);
    }

    /**
     * Records an entry that failed too often as rejected (in the caller's transaction), keeping
     * what it carried where the tenant can see it: it is then deleted, not retried forever.
     */
    void giveUp(InboxEntry entry, String reason);

    /** Processing failed for a reason that may pass (the connector is unavailable): try again later. */
    final class RetryLater extends RuntimeException {
        public RetryLater(String reason) {
            super(reason);
        }
    }
}
