package dev.junction.spi.cohort;

import dev.junction.spi.ConnectorException;

import java.util.List;
import java.util.Map;

/**
 * One run of a cohort sync, given to {@link CohortSync#run}. Additions and removals are streamed
 * from the database in batches; nothing is held whole in memory.
 *
 * @since 1.0
 */
public interface CohortSyncRun {

    /** Receives one batch. */
    @FunctionalInterface
    interface BatchHandler {
        void handle(List<CohortMember> batch) throws ConnectorException;
    }

    CohortSyncSettings settings();

    /** Members to add to the vendor list (new, changed, or rejected last time), in batches. */
    void forEachAddition(int batchSize, BatchHandler handler) throws ConnectorException;

    /** Members to remove from the vendor list (no longer in the cohort), in batches. */
    void forEachRemoval(int batchSize, BatchHandler handler) throws ConnectorException;

    /** These members are now in the vendor list. */
    void accepted(List<String> emails);

    /** The vendor refused this member; it is reported to the user and retried next run. */
    void rejected(String email, String reason);

    /** These members are no longer in the vendor list. */
    void removed(List<String> emails);

    /** Records a vendor-side asynchronous job and its state, shown with the run. */
    void vendorJob(String jobId, String state, Map<String, Object> details);
}
