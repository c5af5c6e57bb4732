package dev.junction.platform.jobs;

import dev.junction.platform.db.Jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A table of runs that every replica works on (cohort sync runs, object sync runs): the one kind of
 * place that reads runs without a tenant, because workers serve every tenant. Subclasses claim a
 * queued run under a row lock other replicas skip ({@code FOR UPDATE SKIP LOCKED}); this class keeps
 * the heartbeats of the runs a worker executes and requeues the runs of a worker that stopped
 * beating. The table has {@code id}, {@code status} ('queued', 'running', ...), {@code claimed_by},
 * {@code heartbeat_at}, {@code not_before} and {@code error}.
 *
 * @param <C> what a claim returns
 */
public abstract class RunQueue<C> {

    protected final Jdbc jdbc;
    private final String table;

    /**
     * @param table the run table's name (a constant of the subclass, never user input)
     */
    protected RunQueue(Jdbc jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    /** Marks the next runnable queued run as running by {@code worker}; empty when there is none. */
    public abstract Optional<C> claim(String worker, Instant now);

    /** The run a claim is for. */
    public abstract UUID runId(C claim);

    /** Refreshes the heartbeat of runs this worker is executing. */
    public void heartbeat(String worker, List<UUID> runs, Instant now) {
        if (runs.isEmpty()) {
            return;
        }
        jdbc.withConnection(c -> Jdbc.executeUpdate(c, "UPDATE " + table + " SET heartbeat_at = ? WHERE claimed_by = ? "
                + "AND status = 'running' AND id = ANY (?)", now, worker, c.createArrayOf("uuid", runs.toArray())));
    }

    /** Requeues running runs whose worker stopped beating before {@code staleBefore}; returns how many. */
    public int recoverStale(Instant staleBefore, Instant now) {
        return jdbc.update("UPDATE " + table + " SET status = 'queued', not_before = ?, claimed_by = NULL, heartbeat_at = NULL, "
                + "error = 'the replica running it stopped; resumed' WHERE status = 'running' AND heartbeat_at < ?", now, staleBefore);
    }
}
