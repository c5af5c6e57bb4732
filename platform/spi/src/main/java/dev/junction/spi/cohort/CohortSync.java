package dev.junction.spi.cohort;

import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;

import java.util.List;

/**
 * Keeps a vendor list equal to a cohort. The platform stores cohort membership, computes what
 * changed since the last successful run (in the database, streamed), schedules runs, keeps runs of
 * one sync from overlapping across replicas, and records outcomes; the connector applies the
 * difference to the vendor and reports, member by member, what the vendor accepted.
 *
 * <h2>A run</h2>
 * {@link #run} is called on a worker thread with a {@link CohortSyncRun}. It reads additions and
 * removals in batches, applies them, and reports results through the run. When it returns, members
 * reported accepted (or removed) become the new synced state; members not reported are retried
 * next run. If it throws a {@link dev.junction.spi.RetriableConnectorException} the run is retried
 * later; a {@link dev.junction.spi.PermanentConnectorException} fails the run with its message.
 * Vendor calls must be idempotent: a run interrupted by a crash is redone.
 *
 * @since 1.0
 */
public interface CohortSync extends ConnectorCapability {

    @Override
    default Capability capability() {
        return Capability.COHORT_SYNC;
    }

    /**
     * Problems with sync settings, checked when a sync is created or changed, before anything
     * runs (for example a list name longer than the vendor allows). Empty when fine. No I/O.
     */
    default List<SettingProblem> validate(CohortSyncSettings settings) {
        return List.of();
    }

    /** Applies one run's difference to the vendor. */
    void run(ConnectorContext context, CohortSyncRun run) throws ConnectorException;
}
