package dev.junction.spi.cohort;

import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorConfig;
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
 * Vendor calls must be idempotent: a run interrupted by a crash is redone. Per-sync vendor state
 * (the list id, e-mail to vendor id) goes in {@link CohortSyncRun#state()}.
 *
 * @since 1.0
 */
public interface CohortSync extends ConnectorCapability {

    /**
     * Problems with a sync's settings, checked when a sync is created, before anything runs (for
     * example a list name longer than the vendor allows, or a mapping key the connector cannot
     * fill). Empty when fine. No I/O: it must not call the vendor.
     *
     * <p>Where the vendor list comes from is the connector's contract, and {@code config} lets it
     * decide here: a connector whose config names a list (a {@code default_list_id}) may sync to
     * that list and ignore {@link CohortSyncSettings#listName()}, or refuse a sync that names a
     * different list; one without such a setting finds or creates the list by
     * {@link CohortSyncSettings#listName()}. Say which in the connector's README.
     *
     * @param config   the installation's config, as {@link ConnectorContext#config()} gives it (secrets resolved)
     * @param settings the sync being created
     * @return the problems, each naming a field ({@code list_name}, {@code mapping.first_name}); a
     *         non-empty list refuses the sync with 422
     */
    default List<SettingProblem> validate(ConnectorConfig config, CohortSyncSettings settings) {
        return List.of();
    }

    /** Applies one run's difference to the vendor. */
    void run(ConnectorContext context, CohortSyncRun run) throws ConnectorException;
}
