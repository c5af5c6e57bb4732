package dev.junction.testkit;

import dev.junction.spi.cohort.CohortMember;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.VendorJobState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TestCohortSyncRunTest {

    private static final CohortSyncSettings SETTINGS = new CohortSyncSettings("sync-1", "vip", "VIP",
            Map.of("email", "email", "first_name", "first_name", "last_name", "last_name"));

    private static List<CohortMember> members(int n) {
        return IntStream.range(0, n).mapToObj(i -> new CohortMember("m" + i + "@example.com", null, null, null, null))
                .toList();
    }

    @Test
    void handsOutBatchesOfTheRequestedSize() throws Exception {
        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).addAll(members(7)).remove("gone@example.com").build();
        List<String> seen = new ArrayList<>();

        run.forEachAddition(3, batch -> batch.forEach(m -> seen.add(m.email())));
        run.forEachRemoval(100, batch -> { });

        assertEquals(List.of(3, 3, 1), run.additionBatchSizes());
        assertEquals(List.of(1), run.removalBatchSizes());
        assertEquals(members(7).stream().map(CohortMember::email).toList(), seen);
        assertThrows(IllegalArgumentException.class, () -> run.forEachAddition(0, batch -> { }));
    }

    @Test
    void recordsReportsAndWhatWasLeftUnreported() {
        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).addAll(members(3))
                .remove("gone@example.com").remove("kept@example.com").build();

        run.accepted(List.of("m0@example.com", "m1@example.com"));
        run.rejected("m1@example.com", "refused");  // the last report wins
        run.removed(List.of("gone@example.com"));
        run.vendorJob("job-1", VendorJobState.QUEUED, Map.of("contacts", 3));
        run.vendorJob("job-1", VendorJobState.COMPLETED, null);

        assertEquals(Set.of("m0@example.com"), run.accepted());
        assertEquals(Map.of("m1@example.com", "refused"), run.rejected());
        assertEquals(Set.of("m2@example.com"), run.unreportedAdditions());
        assertEquals(Set.of("kept@example.com"), run.unreportedRemovals());
        assertEquals(Map.of("job-1", VendorJobState.COMPLETED), run.vendorJobStates());
        assertEquals(Map.of("contacts", 3), run.vendorJobs().get(0).details());
        assertThrows(IllegalStateException.class, () -> run.accepted(List.of("stranger@example.com")));
        assertThrows(IllegalStateException.class, () -> run.removed(List.of("m0@example.com")));
    }

    @Test
    void normalisesEmailsAndRefusesDuplicates() throws Exception {
        TestCohortSyncRun.Builder builder = TestCohortSyncRun.builder(SETTINGS).add(" Ada@Example.COM ", "Ada", null);
        assertThrows(IllegalArgumentException.class, () -> builder.remove("ada@example.com"));

        TestCohortSyncRun run = builder.build();
        List<CohortMember> got = new ArrayList<>();
        run.forEachAddition(10, got::addAll);

        assertEquals("ada@example.com", got.get(0).email());
        assertEquals("Ada", got.get(0).firstName());
        assertEquals(SETTINGS, run.settings());
    }

    @Test
    void shuffledKeepsTheMembersButNotTheirOrder() throws Exception {
        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).addAll(members(50)).shuffled(7).build();
        List<String> seen = new ArrayList<>();

        run.forEachAddition(50, batch -> batch.forEach(m -> seen.add(m.email())));

        List<String> given = members(50).stream().map(CohortMember::email).toList();
        assertNotEquals(given, seen);
        assertEquals(Set.copyOf(given), Set.copyOf(seen));
    }
}
