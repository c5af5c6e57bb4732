package dev.junction.platform.jobs;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A table of runs that every replica works on (cohort sync runs, object sync runs), and the one
 * life cycle they share: queued, claimed (running), then ended or requeued. This is the one kind
 * of place that reads runs without a tenant, because workers serve every tenant. A queued run is
 * claimed under a row lock other replicas skip ({@code FOR UPDATE SKIP LOCKED}); this class also
 * keeps the heartbeats of the runs a worker executes, requeues the runs of a worker that stopped
 * beating, and makes every later write of an attempt (progress, finish, requeue) conditional on
 * the run still being that attempt's ({@code claimed_by} and {@code attempt}), so a paused worker
 * whose run was taken over changes nothing.
 * <p>
 * The table has {@code tenant_id}, {@code id}, {@code status} ('queued', 'running', ...),
 * {@code claimed_by}, {@code attempt}, {@code heartbeat_at}, {@code not_before},
 * {@code finished_at}, {@code error} and a jsonb progress column.
 *
 * @param <C> what a claim returns
 */
public abstract class RunQueue<C extends RunClaim> {

    /** The condition every write of an attempt carries. */
    private static final String FENCE = " WHERE tenant_id = ? AND id = ? AND status = 'running' AND claimed_by = ? AND attempt = ?";

    /**
     * A run table, by constants of the subclass (never user input).
     *
     * @param name              the table
     * @param progressColumn    its jsonb column of counts so far
     * @param subjectColumn     what a run works on (the sync, the installation), returned with a claim
     * @param claimableFilter   further condition a queued run {@code r} must meet to be claimed (empty for none)
     * @param claimOrder        the column of {@code r} the oldest claimable run is found by
     * @param clearErrorOnClaim whether a claim clears the error a previous attempt left
     */
    public record RunTable(String name, String progressColumn, String subjectColumn, String claimableFilter,
                           String claimOrder, boolean clearErrorOnClaim) { }

    /** Makes a queue's claim from what the claim returns. */
    @FunctionalInterface
    public interface ClaimFactory<C> {
        C claim(TenantId tenant, UUID runId, UUID subjectId, String worker, int attempt);
    }

    protected final Jdbc jdbc;
    private final String table;
    private final String progressColumn;
    private final String claimSql;
    private final ClaimFactory<C> claims;

    protected RunQueue(Jdbc jdbc, RunTable runs, ClaimFactory<C> claims) {
        this.jdbc = jdbc;
        this.table = runs.name();
        this.progressColumn = runs.progressColumn();
        this.claims = claims;
        this.claimSql = "UPDATE " + table + " SET status = 'running', claimed_by = ?, heartbeat_at = ?, attempt = attempt + 1, "
                + "started_at = coalesce(started_at, ?)" + (runs.clearErrorOnClaim() ? ", error = NULL" : "")
                + " WHERE (tenant_id, id) = (SELECT r.tenant_id, r.id FROM " + table + " r WHERE r.status = 'queued' AND r.not_before <= ?"
                + (runs.claimableFilter().isEmpty() ? "" : " AND " + runs.claimableFilter())
                + " ORDER BY r." + runs.claimOrder() + " FOR UPDATE SKIP LOCKED LIMIT 1)"
                + " RETURNING tenant_id, id, " + runs.subjectColumn() + ", attempt";
    }

    /**
     * Marks the oldest claimable queued run as running by {@code worker}, as its next attempt; empty
     * when there is none. A concurrent claim that breaks a unique index of the table fails (the
     * caller treats that as nothing claimed).
     */
    public Optional<C> claim(String worker, Instant now) {
        return jdbc.one(claimSql, rs -> claims.claim(new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class), worker, rs.getInt(4)), worker, now, now, now);
    }

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

    /**
     * Records an attempt's counts so far (and beats its heart).
     *
     * @throws RunLostException when the run is no longer this attempt's, so the caller's transaction rolls back
     */
    public void recordProgress(RunClaim attempt, String progressJson, Instant now) {
        int updated = jdbc.update("UPDATE " + table + " SET " + progressColumn + " = ?::jsonb, heartbeat_at = ?" + FENCE,
                progressJson, now, attempt.tenant().value(), attempt.runId(), attempt.worker(), attempt.attempt());
        if (updated == 0) {
            throw new RunLostException();
        }
    }

    /**
     * Ends an attempt with {@code status}; a null {@code progressJson} keeps the counts recorded so far.
     *
     * @return false, and nothing changed, when the run is no longer this attempt's
     */
    public boolean finish(RunClaim attempt, String status, @Nullable String error, @Nullable String progressJson, Instant now) {
        return jdbc.update("UPDATE " + table + " SET status = ?, error = ?, " + progressColumn + " = coalesce(?::jsonb, " + progressColumn
                        + "), finished_at = ?, heartbeat_at = NULL" + FENCE, status, error, progressJson, now,
                attempt.tenant().value(), attempt.runId(), attempt.worker(), attempt.attempt()) == 1;
    }

    /**
     * Puts an attempt's run back in the queue, to be claimed again from {@code notBefore}.
     *
     * @return false, and nothing changed, when the run is no longer this attempt's
     */
    public boolean requeue(RunClaim attempt, String error, Instant notBefore) {
        return jdbc.update("UPDATE " + table + " SET status = 'queued', error = ?, not_before = ?, heartbeat_at = NULL, claimed_by = NULL"
                + FENCE, error, notBefore, attempt.tenant().value(), attempt.runId(), attempt.worker(), attempt.attempt()) == 1;
    }
}
