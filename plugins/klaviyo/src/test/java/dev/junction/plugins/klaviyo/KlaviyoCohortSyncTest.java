package dev.junction.plugins.klaviyo;

import dev.junction.fakeklaviyo.FakeProfile;
import dev.junction.fakeklaviyo.Fault;
import dev.junction.fakeklaviyo.RecordedRequest;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.cohort.CohortMember;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.VendorJobState;
import dev.junction.testkit.TestCohortSyncRun;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link KlaviyoCohortSync} against the fake Klaviyo in strict mode (every request checked against the spec). */
class KlaviyoCohortSyncTest extends AgainstFakeKlaviyo {

    private static final String LIST = "VIP customers";
    private static final CohortSyncSettings SETTINGS = new CohortSyncSettings("sync-1", "vip", LIST,
            Map.of("email", "email", "first_name", "first_name", "last_name", "last_name"));
    private static final List<String> INVALID = List.of("broken@", "no-at-sign.example.com", "a@b");

    private final KlaviyoCohortSync sync = new KlaviyoCohortSync(d -> Thread.sleep(5));

    private static List<CohortMember> members(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new CohortMember("member-" + i + "@example.com", "First" + i,
                "Last" + i, null, Map.of())).toList();
    }

    private static Set<String> emails(List<CohortMember> members) {
        return members.stream().map(CohortMember::email).collect(Collectors.toCollection(TreeSet::new));
    }

    private String onlyListId() {
        assertEquals(1, fake.state().lists().size(), "one list");
        return fake.state().lists().get(0).id();
    }

    private Set<String> listEmails() {
        fake.awaitJobs();
        return new TreeSet<>(fake.state().listMemberEmails(onlyListId()));
    }

    private TestCohortSyncRun firstRun(List<CohortMember> members) throws Exception {
        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).state(state).addAll(members).shuffled(7).build();
        sync.run(context(Map.of()), run);
        return run;
    }

    @Test
    void twoThousandMembersWithAnExistingProfileInAnotherCaseAndInvalidEmailsEndAsOneExactList() throws Exception {
        FakeProfile existing = fake.state().seedProfile("Member-7@Example.COM", null, Map.of("first_name", "Kept"));
        List<CohortMember> valid = members(0, 2_000);
        TestCohortSyncRun.Builder b = TestCohortSyncRun.builder(SETTINGS).state(state).addAll(valid);
        INVALID.forEach(e -> b.add(e, "Bad", null));
        TestCohortSyncRun run = b.shuffled(3).build();

        sync.run(context(Map.of()), run);

        assertEquals(emails(valid), listEmails(), "exactly the valid members, once each");
        assertEquals(emails(valid), run.accepted().stream().collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(new TreeSet<>(INVALID), new TreeSet<>(run.rejected().keySet()), "a row per invalid e-mail");
        run.rejected().values().forEach(reason -> assertTrue(reason.startsWith("Klaviyo refused the profile: "), reason));
        assertTrue(run.unreportedAdditions().isEmpty());
        assertEquals(2_000, fake.state().profileCount(), "the existing profile is reused, not duplicated");
        assertEquals(existing.id(), fake.state().profileByEmail("member-7@example.com").orElseThrow().id());
        assertEquals(1, fake.requests("bulk_import_profiles").size(), "2,003 profiles fit one job");
        assertEquals(1, fake.requests("create_list").size());
        assertTrue(fake.requests("bulk_subscribe_profiles").isEmpty(), "list membership only");
        for (String email : List.of("member-0@example.com", "member-7@example.com")) {
            assertEquals("NEVER_SUBSCRIBED", fake.state().profileByEmail(email).orElseThrow().emailMarketingConsent(),
                    "adding to a list does not change consent");
        }
        assertEquals(VendorJobState.COMPLETED, run.vendorJobStates().values().iterator().next());
    }

    private long count(String operationId) {
        return fake.requestCounts().getOrDefault(operationId, 0L);
    }

    @Test
    void aResyncAfter100LeftAnd50JoinedSendsOnlyTheDifference() throws Exception {
        List<CohortMember> first = members(0, 2_000);
        firstRun(first);
        assertEquals(emails(first), listEmails());
        int before = fake.requests().size();
        long imports = count("bulk_import_profiles");

        List<CohortMember> left = first.subList(0, 100);
        List<CohortMember> joined = members(2_000, 2_050);
        TestCohortSyncRun resync = TestCohortSyncRun.builder(SETTINGS).state(state).addAll(joined).removeAll(left).build();
        sync.run(context(Map.of()), resync);

        Set<String> expected = emails(first.subList(100, 2_000));
        expected.addAll(emails(joined));
        assertEquals(expected, listEmails());
        assertEquals(emails(joined), new TreeSet<>(resync.accepted()));
        assertEquals(emails(left), new TreeSet<>(resync.removed()));
        List<RecordedRequest> since = fake.requests().subList(before, fake.requests().size());
        List<RecordedRequest> jobs = since.stream().filter(r -> "bulk_import_profiles".equals(r.operationId())).toList();
        assertEquals(1, jobs.size());
        assertEquals(imports + 1, count("bulk_import_profiles"));
        assertEquals(50, jobs.get(0).body().split("\"type\":\"profile\"", -1).length - 1, "only the 50 who joined");
        List<RecordedRequest> removals = since.stream().filter(r -> "remove_profiles_from_list".equals(r.operationId())).toList();
        assertEquals(1, removals.size());
        assertEquals(100, removals.get(0).body().split("\"type\":\"profile\"", -1).length - 1, "only the 100 who left");
        assertEquals(2_050, fake.state().profileCount(), "removal takes profiles out of the list, never deletes them");
        assertTrue(since.stream().noneMatch(r -> "create_list".equals(r.operationId())), "the list is kept in state");
    }

    @Test
    void onlyMembersThisSyncAddedAreRemoved() throws Exception {
        String listId = fake.state().createList(LIST).id();
        FakeProfile outsider = fake.state().seedProfile("outsider@example.com", null, Map.of());
        fake.state().addToList(listId, List.of(outsider.id()));
        firstRun(members(0, 3));
        assertEquals(listId, onlyListId(), "the list of that name is adopted");

        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).state(state).remove("outsider@example.com")
                .remove("member-0@example.com").build();
        sync.run(context(Map.of()), run);

        assertEquals(Set.of("member-1@example.com", "member-2@example.com", "outsider@example.com"), listEmails());
        assertEquals(Set.of("outsider@example.com", "member-0@example.com"), run.removed());
    }

    @Test
    void subscribingMembersGoesThroughTheSubscriptionJob() throws Exception {
        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).state(state).addAll(members(0, 1_500)).add("broken@", null, null).build();
        sync.run(context(Map.of("subscribe_members", true)), run);

        assertEquals(emails(members(0, 1_500)), listEmails());
        assertEquals(Set.of("broken@"), run.rejected().keySet());
        assertEquals("SUBSCRIBED", fake.state().profileByEmail("member-1499@example.com").orElseThrow().emailMarketingConsent());
        assertEquals(2, fake.requests("bulk_subscribe_profiles").size(), "1,000 per subscription job");
        assertFalse(fake.requests("bulk_import_profiles").get(0).body().contains("relationships"),
                "the import itself does not add to the list");
    }

    @Test
    void theDefaultListIsUsedAndMustExist() throws Exception {
        String listId = fake.state().createList("Configured").id();
        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).state(state).addAll(members(0, 5)).build();
        sync.run(context(Map.of("default_list_id", listId)), run);
        assertEquals(emails(members(0, 5)), listEmails());
        assertTrue(fake.requests("create_list").isEmpty());

        PermanentConnectorException e = assertThrows(PermanentConnectorException.class, () -> sync.run(
                context(Map.of("default_list_id", "NOSUCH")), TestCohortSyncRun.builder(SETTINGS).state(state).addAll(members(0, 1)).build()));
        assertEquals("default_list_missing", e.code());
    }

    @Test
    void a429StormAndA5xxAreWaitedOutWithoutDuplicates() throws Exception {
        fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).times(3).on("bulk_import_profiles"));
        fake.inject(Fault.status(503).times(2).on("remove_profiles_from_list"));
        firstRun(members(0, 200));
        TestCohortSyncRun run = TestCohortSyncRun.builder(SETTINGS).state(state).removeAll(members(0, 10)).build();
        sync.run(context(Map.of()), run);
        assertEquals(emails(members(10, 200)), listEmails());
        assertEquals(1, fake.state().lists().size());
    }

    @Test
    void validateNeedsANameAndAnEmailMappingAndDoesNoIo() {
        assertEquals(List.of(), sync.validate(context(Map.of()).config(), SETTINGS));
        var problems = sync.validate(context(Map.of()).config(), new CohortSyncSettings("s", "c", " ", Map.of("first_name", "f", "city", "city")));
        assertEquals(List.of("list_name", "mapping.email", "mapping.city"), problems.stream().map(p -> p.field()).toList());
        assertTrue(fake.requests().isEmpty());
    }
}
