package dev.junction.platform.objectsync;

import dev.junction.platform.jobs.RunLostException;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every write of an object sync attempt is fenced by {@code claimed_by} and {@code attempt}, as the
 * cohort sync run queue's are (the life cycle is the one of {@code jobs.RunQueue}).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectSyncRunFenceTest extends ApiTestBase implements TestPropertyProvider {

    @Inject
    ObjectSyncQueue queue;

    @Inject
    TransactionOperations<Connection> tx;

    @Override
    public Map<String, String> getProperties() {
        return ObjectSyncTests.properties(ObjectSyncTests.pluginsDir(1));
    }

    /**
     * A worker paused long enough for its run to be taken over (requeued as stale, claimed again as
     * attempt 2 by another replica) wakes up and writes: its progress, finish and requeue change
     * nothing, whether it names the old attempt or another worker; the attempt holding the run can end it.
     */
    @Test
    void aPausedWorkersLateFinishChangesNothing() {
        Api admin = tenantAdmin(newTenant("obj-fence"));
        String installation = ObjectSyncTests.install(admin, Map.of("interval", "off"));
        ObjectSyncTests.dataset(installation, "{\"lists\": [{\"id\": 1, \"name\": \"L\"}]}");
        ObjectSyncTests.runToEnd(admin, installation); // nothing queued or running for it from here on
        UUID run = UUID.randomUUID();
        UUID tenant = (UUID) ObjectSyncTests.query("SELECT tenant_id FROM installation WHERE id = ?::uuid", installation).get(0).get(0);
        ObjectSyncTests.sql("""
                INSERT INTO object_sync_run (tenant_id, id, installation_id, status, trigger, attempt, not_before, claimed_by,
                                             heartbeat_at, created_at, started_at)
                VALUES (?, ?, ?::uuid, 'running', 'manual', 2, now(), 'replica-b', now(), now(), now())""", tenant, run, installation);
        TenantId id = new TenantId(tenant);
        UUID installationId = UUID.fromString(installation);
        Instant now = Instant.now();
        String before = runRow(run);
        for (ObjectSyncQueue.Claim late : List.of(new ObjectSyncQueue.Claim(id, run, installationId, "replica-a", 1),
                new ObjectSyncQueue.Claim(id, run, installationId, "replica-b", 1),
                new ObjectSyncQueue.Claim(id, run, installationId, "replica-a", 2))) {
            assertFalse((boolean) tx.executeWrite(t -> queue.finish(late, "succeeded", null, "{\"late\":true}", now)), late.toString());
            assertFalse((boolean) tx.executeWrite(t -> queue.requeue(late, "late requeue", now)), late.toString());
            assertThrows(RunLostException.class, () -> tx.executeWrite(t -> {
                queue.recordProgress(late, "{\"late\":true}", now);
                return null;
            }));
            assertEquals(before, runRow(run), "a late write of " + late + " changed the run");
        }
        ObjectSyncQueue.Claim holder = new ObjectSyncQueue.Claim(id, run, installationId, "replica-b", 2);
        assertTrue((boolean) tx.executeWrite(t -> queue.finish(holder, "failed", "ended", null, now)));
        assertTrue(runRow(run).startsWith("failed|ended|"), runRow(run));
    }

    private static String runRow(UUID run) {
        return (String) ObjectSyncTests.query("SELECT status || '|' || coalesce(error, '') || '|' || collections::text || '|' "
                + "|| coalesce(claimed_by, '') || '|' || attempt || '|' || (finished_at IS NULL) || '|' || not_before "
                + "FROM object_sync_run WHERE id = ?", run).get(0).get(0);
    }
}
