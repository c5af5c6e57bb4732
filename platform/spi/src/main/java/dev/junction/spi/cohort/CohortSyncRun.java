package dev.junction.spi.cohort;

import dev.junction.spi.ConnectorException;
import dev.junction.spi.StateStore;

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

    /**
     * Durable state of this sync, kept by the platform across runs and replicas: the vendor list
     * id, or e-mail to vendor id for vendors that remove members by their own id. A view of
     * {@link dev.junction.spi.ConnectorContext#state()} under a prefix of this sync's id (see
     * {@link StateStore#scoped}), so two syncs of one installation never see each other's keys;
     * it is deleted with the installation. Write a member's entry when the vendor accepted it and
     * delete it when the member was removed, so it holds no more than the list does.
     */
    StateStore state();

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

    /**
     * Records a vendor-side asynchronous job and where it stands, shown with the run (the latest
     * report per job id wins).
     *
     * @param jobId   the vendor's id of the job
     * @param state   where it stands
     * @param details JSON-compatible facts shown with it (counts, the vendor's own status word), or null
     */
    void vendorJob(String jobId, VendorJobState state, Map<String, Object> details);
}
