package dev.junction.platform.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each table is written and read by the feature that owns it ({@link TableOwnership#OWNERS});
 * another feature goes through the owner's service. Checked on the SQL in the server's main sources.
 */
class TableOwnershipTest {

    private static final Path MAIN = Path.of("src/main/java/dev/junction/platform");
    private static final Path FIXTURE = Path.of("src/test/java/dev/junction/platform/architecture/ownershipfixture");

    /** Uses of another feature's table that stay, each with its reason. */
    private static final Set<String> ALLOWED = Set.of(
            // a delivery is the outbox row of a tracked event: the worker's batch query joins the event it sends
            // (one indexed query per batch on the delivery path; two round trips would cost the benchmark)
            "delivery -> tracked_event");

    @Test
    void everyTableIsUsedOnlyByTheFeatureThatOwnsIt() {
        assertTrue(Files.isDirectory(MAIN), "run from the server module: " + MAIN.toAbsolutePath());
        List<TableOwnership.Violation> violations = TableOwnership.violations(MAIN, TableOwnership.OWNERS, ALLOWED);
        assertTrue(violations.isEmpty(), "SQL naming another feature's table (go through its service):\n"
                + String.join("\n", violations.stream().map(Object::toString).toList()));
    }

    @Test
    void aFeatureReadingAnotherFeaturesTableFailsTheRule() {
        List<TableOwnership.Violation> violations = TableOwnership.violations(FIXTURE, TableOwnership.OWNERS, Set.of());
        assertEquals(List.of("objectsync/PeekingRepository.java uses cohort_sync_run (owned by cohort)"),
                violations.stream().map(Object::toString).toList());
    }
}
