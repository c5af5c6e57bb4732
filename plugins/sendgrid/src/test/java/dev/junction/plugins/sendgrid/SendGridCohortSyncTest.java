package dev.junction.plugins.sendgrid;

import dev.junction.fakesendgrid.FakeContact;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.Permission;
import dev.junction.fakesendgrid.RecordedRequest;
import dev.junction.runtime.http.HttpAttempt;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.cohort.CohortMember;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.VendorJobState;
import dev.junction.spi.cohort.SettingProblem;
import dev.junction.testkit.TestCohortSyncRun;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SendGridCohortSync} against the fake SendGrid in strict OpenAPI mode: every request the
 * connector makes must match SendGrid's published spec ({@link AgainstFakeSendGrid}).
 */
class SendGridCohortSyncTest extends AgainstFakeSendGrid {

    private static final String LIST = "VIP customers";
    private static final Map<String, String> MAPPING = Map.of("email", "email", "first_name", "first_name",
            "last_name", "last_name");
    private static final CohortSyncSettings SETTINGS = new CohortSyncSettings("sync-1", "vip", LIST, MAPPING);

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final SendGridCohortSync sync = new SendGridCohortSync(pauses::add);  // polls without sleeping

    @BeforeEach
    void clearPauses() {
        pauses.clear();
    }

    private TestContext context() {
        return context(KEY, fake.baseUrl());
    }

    private TestContext context(String key, String apiUrl) {
        return context(key, apiUrl, Map.of());
    }

    private static TestCohortSyncRun.Builder run() {
        return TestCohortSyncRun.builder(SETTINGS);
    }

    private static List<CohortMember> members(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new CohortMember("member-" + i + "@example.com", "First" + i,
                "Last" + i, null, Map.of())).toList();
    }

    private String listId() {
        assertEquals(1, fake.lists().size(), "one list");
        return fake.lists().get(0).id();
    }

    private Set<String> listMembers() {
        fake.awaitJobs();
        return fake.listMembers(listId()).stream().map(FakeContact::email).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> emails(List<CohortMember> members) {
        return members.stream().map(CohortMember::email).collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------ validate

    @Test
    void validateRefusesLongListNamesAndIncompleteMappings() {
        String name85 = "n".repeat(85);
        assertEquals(List.of(), sync.validate(context().config(), new CohortSyncSettings("s", "c", name85, MAPPING)));

        List<SettingProblem> problems = sync.validate(context().config(), new CohortSyncSettings("s", "c", name85 + "x",
                Map.of("email", "email", "first_name", "given_name", "city", "city")));

        assertEquals(List.of("list_name", "mapping.last_name", "mapping.city"),
                problems.stream().map(SettingProblem::field).toList());
        assertTrue(problems.get(0).message().contains("at most 85 characters; this one has 86"), problems.get(0).message());
        assertEquals("list_name", sync.validate(context().config(), new CohortSyncSettings("s", "c", " ", MAPPING)).get(0).field());
        assertTrue(fake.requests().isEmpty(), "validate does no I/O");
    }

    // ------------------------------------------------------------------ additions and removals

    @Test
    void firstSyncCreatesTheListAndAddsEveryoneOnce() throws Exception {
        fake.seedContact(dev.junction.fakesendgrid.ContactSeed.of("known@example.com").with("first_name", "Kept"));
        TestCohortSyncRun run = run()
                .add("ada@example.com", "Ada", "Lovelace")
                .add("grace@example.com", "Grace", null)
                .add("known@example.com", "  ", "Hopper")                       // blank: left as SendGrid has it
                .add("alan@example.com", "A".repeat(60), "Turing")             // cut to SendGrid's 50 characters
                .build();
        TestContext ctx = context();

        sync.run(ctx, run);

        String listId = listId();
        assertEquals(LIST, fake.lists().get(0).name());
        assertEquals(Set.of("ada@example.com", "grace@example.com", "known@example.com", "alan@example.com"), run.accepted());
        assertEquals(Map.of(), run.rejected());
        assertEquals(Set.of(), run.unreportedAdditions());
        assertEquals(new TreeSet<>(run.accepted()), listMembers());
        assertEquals(1, fake.requests("POST", "/v3/marketing/lists").size());
        List<RecordedRequest> puts = fake.requests("PUT", "/v3/marketing/contacts");
        assertEquals(1, puts.size(), "everyone in one request");
        assertEquals(4, puts.get(0).batchSize());
        assertNull(fake.contact("grace@example.com").orElseThrow().lastName(), "a null name stays unset");
        assertEquals("Kept", fake.contact("known@example.com").orElseThrow().firstName(), "a blank name is not sent");
        assertEquals("A".repeat(50), fake.contact("alan@example.com").orElseThrow().firstName());
        assertTrue(state.snapshot().get(SyncList.stateKey("sync-1")).contains(listId), state.snapshot().toString());
        String jobId = run.vendorJobs().get(0).jobId();
        assertEquals(List.of(VendorJobState.QUEUED, VendorJobState.COMPLETED),
                run.vendorJobs().stream().map(TestCohortSyncRun.VendorJob::state).toList());
        assertEquals("completed", run.vendorJobs().get(1).details().get("vendor_status"));
        assertEquals(4L, ((Number) run.vendorJobs().get(1).details().get("requested_count")).longValue());
        assertEquals(Map.of(jobId, VendorJobState.COMPLETED), run.vendorJobStates());
        assertEquals(1, ctx.eventLog().named("list created").size());
        assertEquals(1, ctx.eventLog().named("cohort sync finished").size());
        assertFalse(ctx.eventLog().dump().contains(KEY), "the API key never reaches the event log");
    }

    @Test
    void aSecondRunSendsOnlyTheDifferenceAndRemovesFromTheListOnly() throws Exception {
        List<CohortMember> first = members(0, 250);
        sync.run(context(), run().addAll(first).build());
        String listId = listId();
        fake.awaitJobs();
        fake.clearRequests();

        List<CohortMember> added = members(250, 260);
        List<CohortMember> gone = members(0, 120);  // more than one search (100 e-mails) and one DELETE (100 ids)
        TestCohortSyncRun second = run().addAll(added).removeAll(gone)
                .remove("never-synced@example.com")                          // not a contact: counts as removed
                .shuffled(42)                                                // the connector must not rely on order
                .build();
        TestContext ctx = context();
        sync.run(ctx, second);

        assertEquals(emails(added), new TreeSet<>(second.accepted()));
        Set<String> expectedRemoved = emails(gone);
        expectedRemoved.add("never-synced@example.com");
        assertEquals(expectedRemoved, new TreeSet<>(second.removed()));
        assertEquals(Set.of(), second.unreportedRemovals());
        assertTrue(fake.requests("POST", "/v3/marketing/lists").isEmpty(), "the stored list is reused");
        List<RecordedRequest> puts = fake.requests("PUT", "/v3/marketing/contacts");
        assertEquals(1, puts.size());
        assertEquals(10, puts.get(0).batchSize(), "only the additions are sent");
        List<RecordedRequest> searches = fake.requests("POST", "/v3/marketing/contacts/search/emails");
        assertTrue(searches.stream().allMatch(r -> r.batchSize() <= 100), "at most 100 e-mails per search");
        List<RecordedRequest> removals = fake.requests("DELETE", "/v3/marketing/lists/" + listId + "/contacts");
        assertEquals(120, removals.stream().mapToInt(RecordedRequest::batchSize).sum());
        assertTrue(removals.stream().allMatch(r -> r.batchSize() <= 100), "at most 100 ids per DELETE");
        assertTrue(fake.requests("DELETE", "/v3/marketing/contacts").isEmpty(), "contacts are never deleted");

        Set<String> expected = emails(members(120, 260));
        assertEquals(expected, listMembers());
        assertTrue(fake.contact("member-0@example.com").isPresent(), "removed members stay in the account");
        assertEquals(260, fake.contactCount());
        assertTrue(second.vendorJobs().stream().anyMatch(j -> j.state() == VendorJobState.PROCESSING
                && "list_removal".equals(j.details().get("job_type"))));
        assertFalse(ctx.eventLog().dump().contains(KEY));
    }

    @Test
    void thirtyThousandAndOneMembersTakeTwoRequests() throws Exception {
        List<CohortMember> all = members(0, 30_001);
        TestCohortSyncRun run = run().addAll(all).build();

        sync.run(context(), run);

        List<RecordedRequest> puts = fake.requests("PUT", "/v3/marketing/contacts");
        assertEquals(List.of(30_000, 1), puts.stream().map(RecordedRequest::batchSize).toList());
        assertTrue(puts.stream().allMatch(r -> r.bodySize() <= 6_000_000));
        assertEquals(30_001, run.accepted().size());
        assertEquals(30_001, fake.list(listId()).orElseThrow().contactCount());
    }

    @Test
    @DisplayName("requests over 6,000,000 bytes are split before 30,000 contacts (6 MB in bytes: fake guess G14)")
    void requestsOverSixMegabytesAreSplitBeforeThirtyThousandContacts() throws Exception {
        String longName = "名".repeat(50);  // 150 bytes of UTF-8: about 370 bytes per contact
        List<CohortMember> all = IntStream.range(0, 20_000).mapToObj(i -> new CohortMember("m" + i + "@example.com",
                longName, longName, null, Map.of())).toList();
        TestCohortSyncRun run = run().addAll(all).build();

        sync.run(context(), run);

        List<RecordedRequest> puts = fake.requests("PUT", "/v3/marketing/contacts");
        assertEquals(2, puts.size(), puts.toString());
        assertEquals(20_000, puts.stream().mapToInt(RecordedRequest::batchSize).sum());
        for (RecordedRequest put : puts) {
            assertTrue(put.bodySize() <= 6_000_000, put.bodySize() + " bytes");
            assertTrue(put.batchSize() < 30_000);
            assertEquals(202, put.status());
        }
        assertTrue(puts.get(0).bodySize() > 5_999_000, "the first request is filled up to the limit: "
                + puts.get(0).bodySize());
        assertEquals(20_000, run.accepted().size());
        assertEquals(longName, fake.contact("m19999@example.com").orElseThrow().firstName());
    }

    // ------------------------------------------------------------------ refused contacts and jobs

    @Test
    @DisplayName("an invalid e-mail in a batch is rejected with SendGrid's reason (e-mail rules and errors file: fake guesses G3, G4)")
    void anInvalidEmailInABatchIsRejectedWithSendGridsReason() throws Exception {
        TestCohortSyncRun run = run().addAll(members(0, 5)).add("not-an-email@", "Bad", "Address").build();
        TestContext ctx = context();

        sync.run(ctx, run);

        assertEquals(emails(members(0, 5)), new TreeSet<>(run.accepted()));
        assertEquals(Set.of("not-an-email@"), run.rejected().keySet());
        assertTrue(run.rejected().get("not-an-email@").contains("email is not a valid address"), run.rejected().toString());
        assertEquals(emails(members(0, 5)), listMembers());
        TestCohortSyncRun.VendorJob last = run.vendorJobs().get(run.vendorJobs().size() - 1);
        assertEquals(VendorJobState.COMPLETED, last.state(), "finished, its errors read as rejections");
        assertEquals("errored", last.details().get("vendor_status"));
        assertEquals(1L, ((Number) last.details().get("errored_count")).longValue());
        assertTrue(String.valueOf(last.details().get("errors_url")).contains("/_fake/import-errors/"));
        RecordedRequest errorsFile = fake.requests().stream().filter(r -> r.path().startsWith("/_fake/import-errors/"))
                .findFirst().orElseThrow();
        assertNull(errorsFile.header("authorization"), "the API key is never sent to the errors file's host");
        assertEquals(1, ctx.eventLog().named("import finished").size());
        assertFalse(ctx.eventLog().dump().contains(KEY));
    }

    @Test
    @DisplayName("without a readable errors file the batch is checked by search (job outcome: fake guess G4)")
    void withoutAReadableErrorsFileTheBatchIsCheckedBySearch() throws Exception {
        // The API is called as "localhost"; the errors file is on 127.0.0.1, which is then not an
        // allowed host, like SendGrid's real pre-signed URLs.
        TestCohortSyncRun run = run().addAll(members(0, 5)).add("not-an-email@", "Bad", "Address").build();
        TestContext ctx = context(KEY, "http://localhost:" + fake.port());

        sync.run(ctx, run);

        assertEquals(emails(members(0, 5)), new TreeSet<>(run.accepted()));
        assertEquals(Set.of("not-an-email@"), run.rejected().keySet());
        assertTrue(fake.requests().stream().noneMatch(r -> r.path().startsWith("/_fake/")), "the file was not fetched");
        assertFalse(fake.requests("POST", "/v3/marketing/contacts/search/emails").isEmpty());
        assertEquals(1, ctx.eventLog().named("import errors unavailable").size());
    }

    @Test
    @DisplayName("a failed job accepts nobody and the next run adds them (job statuses: fake guess G4)")
    void aFailedJobAcceptsNobodyAndTheNextRunAddsThem() throws Exception {
        fake.failNextImport(FakeSendGrid.ImportFailure.FAILED);
        TestCohortSyncRun failed = run().addAll(members(0, 3)).build();

        sync.run(context(), failed);

        assertEquals(Set.of(), failed.accepted());
        assertEquals(emails(members(0, 3)), new TreeSet<>(failed.rejected().keySet()));
        assertTrue(failed.rejected().values().stream().allMatch(r -> r.contains("injected failure")), failed.rejected().toString());
        assertEquals(VendorJobState.FAILED, failed.vendorJobStates().values().iterator().next());
        assertEquals(Set.of(), listMembers());

        TestCohortSyncRun retried = run().addAll(members(0, 3)).build();  // the platform sends rejected members again
        sync.run(context(), retried);

        assertEquals(emails(members(0, 3)), new TreeSet<>(retried.accepted()));
        assertEquals(emails(members(0, 3)), listMembers());
    }

    // ------------------------------------------------------------------ the list

    @Test
    @DisplayName("a stored list deleted in SendGrid is created again (unknown list_ids answer: fake guess G5)")
    void aStoredListDeletedInSendGridIsCreatedAgain() throws Exception {
        sync.run(context(), run().addAll(members(0, 2)).build());
        String deleted = listId();
        assertEquals(204, send("DELETE", "/v3/marketing/lists/" + deleted));
        assertTrue(fake.lists().isEmpty());

        TestCohortSyncRun run = run().addAll(members(2, 4)).build();
        TestContext ctx = context();
        sync.run(ctx, run);

        String recreated = listId();
        assertNotEquals(deleted, recreated);
        assertEquals(LIST, fake.lists().get(0).name());
        assertEquals(emails(members(2, 4)), listMembers());
        assertEquals(emails(members(2, 4)), new TreeSet<>(run.accepted()));
        assertTrue(state.snapshot().get(SyncList.stateKey("sync-1")).contains(recreated));
        assertEquals(1, ctx.eventLog().named("list missing").size());
    }

    @Test
    @DisplayName("a list deleted during the run is created again (unknown list_ids answer: fake guess G5)")
    void aListDeletedDuringTheRunIsCreatedAgainForTheNextRequest() throws Exception {
        AtomicBoolean deleted = new AtomicBoolean();
        SendGridCohortSync deletingSync = new SendGridCohortSync(d -> {
            if (deleted.compareAndSet(false, true)) {  // while the first of two requests is being imported
                fake.awaitJobs();
                assertEquals(204, send("DELETE", "/v3/marketing/lists/" + listId()));
            }
        });
        TestCohortSyncRun run = run().addAll(members(0, 30_001)).build();
        TestContext ctx = context();

        deletingSync.run(ctx, run);

        assertEquals(List.of(202, 400, 202), fake.requests("PUT", "/v3/marketing/contacts").stream()
                .map(RecordedRequest::status).toList(), "refused for the deleted list, then sent to the new one");
        assertEquals(Set.of("member-30000@example.com"), listMembers());
        assertEquals(30_001, run.accepted().size());
        assertEquals(1, ctx.eventLog().named("list missing").size());
    }

    @Test
    void anExistingListWithTheSyncsNameIsAdoptedAndRenamedWithTheSettings() throws Exception {
        for (int i = 0; i < 600; i++) {
            fake.createList("other list " + i);
        }
        String existing = fake.createList(LIST).id();

        sync.run(context(), run().addAll(members(0, 2)).build());

        assertTrue(fake.requests("POST", "/v3/marketing/lists").isEmpty(), "no list created");
        assertEquals("1000", fake.requests("GET", "/v3/marketing/lists").get(0).queryParam("page_size"));
        assertEquals(Set.of(existing), fake.contact("member-0@example.com").orElseThrow().listIds());

        CohortSyncSettings renamed = new CohortSyncSettings("sync-1", "vip", "VIP customers 2025", MAPPING);
        TestContext ctx = context();
        sync.run(ctx, TestCohortSyncRun.builder(renamed).build());

        assertEquals("VIP customers 2025", fake.list(existing).orElseThrow().name());
        assertEquals(1, fake.requests("PATCH", "/v3/marketing/lists/" + existing).size());
        assertEquals(1, ctx.eventLog().named("list renamed").size());
    }

    @Test
    @DisplayName("an account with 1,000 lists fails with lists_full (the refusal text: fake guess G2)")
    void anAccountWithAThousandListsFailsWithListsFull() {
        for (int i = 0; i < 1000; i++) {
            fake.createList("list " + i);
        }

        PermanentConnectorException e = assertThrows(PermanentConnectorException.class,
                () -> sync.run(context(), run().addAll(members(0, 1)).build()));

        assertEquals("lists_full", e.code());
        assertTrue(e.getMessage().contains("1000 Marketing lists, the most SendGrid allows"), e.getMessage());
        assertTrue(fake.requests("POST", "/v3/marketing/lists").isEmpty());
        assertTrue(fake.requests("PUT", "/v3/marketing/contacts").isEmpty());
    }

    // ------------------------------------------------------------------ failures

    @Test
    @DisplayName("rate-limit storms and 5xx bursts still end with a complete list (429 headers: fake guess G13)")
    void rateLimitStormsAndServerErrorBurstsStillEndWithACompleteList() throws Exception {
        sync.run(context(), run().addAll(members(0, 150)).build());
        fake.awaitJobs();
        fake.inject(Fault.rateLimited(Duration.ofSeconds(2)).times(25));                      // every call, first
        fake.inject(Fault.status(503).times(3).on("PUT", "/v3/marketing/contacts"));
        fake.inject(Fault.status(500).times(2).on("GET", "/v3/marketing/contacts/imports/"));
        fake.inject(Fault.status(502).times(2).on("POST", "/v3/marketing/contacts/search/emails"));
        fake.inject(Fault.status(503).times(2).on("DELETE", "/v3/marketing/lists/"));
        TestCohortSyncRun run = run().addAll(members(150, 400)).removeAll(members(0, 100)).build();
        TestContext ctx = context();

        sync.run(ctx, run);

        assertEquals(emails(members(150, 400)), new TreeSet<>(run.accepted()));
        assertEquals(emails(members(0, 100)), new TreeSet<>(run.removed()));
        assertEquals(emails(members(100, 400)), listMembers());
        List<HttpAttempt.Outcome> outcomes = ctx.eventLog().httpAttempts().stream().map(HttpAttempt::outcome).toList();
        assertEquals(25, outcomes.stream().filter(o -> o == HttpAttempt.Outcome.RATE_LIMITED_RETRYING).count());
        assertEquals(9, outcomes.stream().filter(o -> o == HttpAttempt.Outcome.RETRYING).count());
        assertFalse(ctx.eventLog().dump().contains(KEY));
    }

    @Test
    void aServerErrorWhileCreatingTheListFailsTheRunRetriablyAndTheRedoCompletes() throws Exception {
        fake.inject(Fault.status(500).on("POST", "/v3/marketing/lists"));

        RetriableConnectorException e = assertThrows(RetriableConnectorException.class,
                () -> sync.run(context(), run().addAll(members(0, 3)).build()));
        assertEquals("vendor_error", e.code());

        TestCohortSyncRun redo = run().addAll(members(0, 3)).build();
        sync.run(context(), redo);
        assertEquals(emails(members(0, 3)), new TreeSet<>(redo.accepted()));
        assertEquals(emails(members(0, 3)), listMembers());
    }

    @Test
    void aRevokedKeyFailsWithAClearPermanentError() throws Exception {
        String key = "SG.revoked-later.0123456789abcdef";
        fake.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);
        sync.run(context(key, fake.baseUrl()), run().addAll(members(0, 2)).build());
        fake.removeApiKey(key);
        TestContext ctx = context(key, fake.baseUrl());

        PermanentConnectorException e = assertThrows(PermanentConnectorException.class,
                () -> sync.run(ctx, run().addAll(members(2, 4)).build()));

        assertEquals("unauthorized", e.code());
        assertTrue(e.getMessage().contains("SendGrid rejected the API key") && e.getMessage().contains("revoked"),
                e.getMessage());
        assertFalse(e.getMessage().contains(key));
        assertFalse(ctx.eventLog().dump().contains(key), "the API key never reaches the event log");
    }

    @Test
    void aKeyWithoutWritePermissionFailsAsForbidden() {
        String key = "SG.read-only.0123456789abcdef";
        fake.addApiKey(key, FakeSendGrid.MARKETING_SCOPES, Permission.readAll());

        PermanentConnectorException e = assertThrows(PermanentConnectorException.class,
                () -> sync.run(context(key, fake.baseUrl()), run().addAll(members(0, 2)).build()));

        assertEquals("forbidden", e.code());
        assertTrue(e.getMessage().contains("POST /v3/marketing/lists") && e.getMessage().contains("Marketing access"),
                e.getMessage());
    }

    @Test
    @DisplayName("import polling backs off and stays bounded (job timing: fake guess G4)")
    void pollingBacksOffAndStaysBounded() throws Exception {
        sync.run(context(), run().addAll(members(0, 2)).build());

        assertFalse(pauses.isEmpty());
        assertEquals(ImportJobs.FIRST_POLL, pauses.get(0));
        assertTrue(pauses.stream().allMatch(p -> p.compareTo(ImportJobs.MAX_POLL) <= 0), pauses.toString());
    }

    /** Calls the fake directly, as a person in SendGrid's UI would. */
    private int send(String method, String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
