package dev.junction.platform.jobs;

import dev.junction.platform.tenancy.TenantId;

import java.util.UUID;

/**
 * One claimed attempt at a run: which run, which worker claimed it and which attempt it is (1 for
 * the first). Every write after the claim names all three, so a worker whose run was taken over
 * (it stopped beating, another replica requeued and claimed the run again) changes nothing when it
 * wakes up and tries to record progress, finish or requeue.
 */
public interface RunClaim {

    TenantId tenant();

    UUID runId();

    /** The {@code claimed_by} of the attempt. */
    String worker();

    int attempt();
}
