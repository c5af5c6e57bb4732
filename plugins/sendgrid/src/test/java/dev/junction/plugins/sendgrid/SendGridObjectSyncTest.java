package dev.junction.plugins.sendgrid;

import dev.junction.spi.Pause;
import dev.junction.fakesendgrid.ContactSeed;
import dev.junction.fakesendgrid.FakeContact;
import dev.junction.fakesendgrid.FakeList;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.FieldType;
import dev.junction.fakesendgrid.RecordedRequest;
import dev.junction.fakesendgrid.Segment;
import dev.junction.fakesendgrid.ValidationMode;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.objects.RecordSink;
import dev.junction.testkit.RecordingRecordSink;
import dev.junction.testkit.RecordingRecordSink.Record;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static dev.junction.plugins.sendgrid.SendGridCollections.CONTACTS;
import static dev.junction.plugins.sendgrid.SendGridCollections.FIELD_DEFINITIONS;
import static dev.junction.plugins.sendgrid.SendGridCollections.LISTS;
import static dev.junction.plugins.sendgrid.SendGridCollections.LIST_MEMBERSHIPS;
import static dev.junction.plugins.sendgrid.SendGridCollections.SEGMENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SendGridObjectSync} against the fake SendGrid in strict OpenAPI mode, with the test kit's
 * {@link RecordingRecordSink} checking the sink protocol and the column types of every record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendGridObjectSyncTest {

    private static final String KEY = FakeSendGrid.DEFAULT_API_KEY;
    /** The fake's reserved field definitions (GET /v3/marketing/field_definitions). */
    private static final int RESERVED_FIELDS = 27;

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final List<Duration> httpWaits = new CopyOnWriteArrayList<>();
    /** Polls pause 2 ms for real (the fake's export takes real time) and record what was asked. */
    private final Pause pause = d -> {
        pauses.add(d);
        Thread.sleep(2);
    };
    private SendGridObjectSync sync = new SendGridObjectSync(pause, ObjectPass.LIST_PAGE_SIZE);
    private FakeSendGrid fake;

    @BeforeAll
    void start() {
        fake = FakeSendGrid.builder().validation(ValidationMode.STRICT).importDelay(Duration.ofMillis(5))
                .exportDelay(Duration.ofMillis(30)).start();
    }

    @AfterAll
    void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
        fake.setValidationMode(ValidationMode.STRICT);
        pauses.clear();
        httpWaits.clear();
        sync = new SendGridObjectSync(pause, ObjectPass.LIST_PAGE_SIZE);
    }

    @AfterEach
    void noSpecViolations() {
        fake.assertNoViolations();
    }

    private TestContext context() {
        return context(fake.baseUrl());
    }

    private TestContext context(String apiUrl) {
        return TestContext.builder(new SendGridConnector().descriptor())
                .config(Map.of("api_key", KEY))
                .platformSetting("api_url", apiUrl)
                .sleeper(httpWaits::add)  // 429 waits and backoff return at once
                .build();
    }

    private RecordingRecordSink pass() throws ConnectorException {
        return pass(context());
    }

    private RecordingRecordSink pass(TestContext ctx) throws ConnectorException {
        RecordingRecordSink sink = RecordingRecordSink.of(sync.collections());
        sync.sync(ctx, sink);
        return sink;
    }

    /** The account most tests start from. */
    private record Account(FakeList newsletter, FakeList vip, FakeList empty, Segment engaged, Segment gold) { }

    private Account seed() {
        fake.addCustomField("tier", FieldType.TEXT);
        fake.addCustomField("score", FieldType.NUMBER);
        fake.addCustomField("birthday", FieldType.DATE);
        FakeList newsletter = fake.createList("Newsletter");
        FakeList vip = fake.createList("VIP");
        FakeList empty = fake.createList("Empty");
        fake.seedContact(ContactSeed.of("Ada@Example.com").with("first_name", "Ada").with("last_name", "Lovelace")
                .with("city", "London").with("postal_code", "N1 7AA").with("country", "UK")
                .with("phone_number", "+44 20 7946 0000").with("external_id", "ext-1")
                .with("alternate_emails", List.of("ada@old.example.com"))
                .with("tier", "gold").with("score", 42).with("birthday", "1815-12-10")
                .inLists(newsletter.id(), vip.id()));
        fake.seedContact(ContactSeed.of("bob@example.com").with("first_name", "Bob").inLists(newsletter.id()));
        fake.seedContact(ContactSeed.of("cid@example.com"));
        fake.seedContacts(IntStream.range(0, 50).mapToObj(i -> ContactSeed.of("reader-" + i + "@example.com")
                .inLists(newsletter.id())).toList());
        Segment engaged = fake.addSegment("Engaged", "SELECT contact_id FROM contact_data WHERE score > 10",
                List.of(newsletter.id()), List.of("ada@example.com", "bob@example.com"));
        Segment gold = fake.addSegment("Gold", "SELECT contact_id FROM contact_data WHERE tier = 'gold'",
                List.of("ada@example.com"));
        return new Account(newsletter, vip, empty, engaged, gold);
    }

    /** Every membership in the fake as {@code <list_id>:<contact_id>}. */
    private Set<String> fakeMemberships() {
        Set<String> out = new TreeSet<>();
        for (FakeList l : fake.lists()) {
            fake.listMembers(l.id()).forEach(c -> out.add(l.id() + ":" + c.id()));
        }
        return out;
    }

    private static Instant seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }

    private List<RecordedRequest> exportRequests() {
        return fake.requests("POST", "/v3/marketing/contacts/exports");
    }

    // ------------------------------------------------------------------ a complete pass

    @Test
    @DisplayName("the first pass emits every collection with typed values (export files: fake guess G11; segments: G12)")
    void theFirstPassEmitsEveryCollectionCompletelyWithTypedValues() throws Exception {
        Account a = seed();
        TestContext ctx = context();
        RecordingRecordSink sink = pass(ctx);

        assertEquals(List.of("begin " + FIELD_DEFINITIONS, "complete " + FIELD_DEFINITIONS, "begin " + LISTS,
                "complete " + LISTS, "begin " + SEGMENTS, "complete " + SEGMENTS, "begin " + CONTACTS,
                "begin " + LIST_MEMBERSHIPS, "complete " + CONTACTS, "complete " + LIST_MEMBERSHIPS), sink.events());

        // field definitions
        assertEquals(3 + RESERVED_FIELDS, sink.records(FIELD_DEFINITIONS).size());
        Record score = sink.records(FIELD_DEFINITIONS).values().stream()
                .filter(r -> "score".equals(r.columns().get("name"))).findFirst().orElseThrow();
        assertEquals(fake.customField("score").orElseThrow().id(), score.columns().get("id"));
        assertEquals("Number", score.columns().get("field_type"));
        assertEquals(false, score.columns().get("reserved"));
        Record createdAt = sink.records(FIELD_DEFINITIONS).values().stream()
                .filter(r -> "created_at".equals(r.columns().get("name"))).findFirst().orElseThrow();
        assertEquals(true, createdAt.columns().get("reserved"));
        assertEquals(true, createdAt.columns().get("read_only"));

        // lists
        assertEquals(3, sink.records(LISTS).size());
        assertEquals("Newsletter", sink.record(LISTS, a.newsletter().id()).columns().get("name"));
        assertEquals(52L, sink.record(LISTS, a.newsletter().id()).columns().get("contact_count"));
        assertEquals(0L, sink.record(LISTS, a.empty().id()).columns().get("contact_count"));
        assertEquals(a.vip().id(), sink.record(LISTS, a.vip().id()).raw().get("id"));

        // segments
        assertEquals(2, sink.records(SEGMENTS).size());
        Map<String, Object> engaged = sink.record(SEGMENTS, a.engaged().id()).columns();
        assertEquals("Engaged", engaged.get("name"));
        assertEquals(2L, engaged.get("contacts_count"));
        assertEquals(List.of(a.newsletter().id()), engaged.get("parent_list_ids"));
        assertEquals("SELECT contact_id FROM contact_data WHERE score > 10", engaged.get("query_dsl"));
        assertEquals("2", engaged.get("query_version"));
        assertEquals("VALID", engaged.get("query_validation"));
        assertEquals(seconds(a.engaged().createdAt()), engaged.get("created_at"));
        assertEquals(List.of(), sink.record(SEGMENTS, a.gold().id()).columns().get("parent_list_ids"));
        assertFalse(sink.record(SEGMENTS, a.engaged().id()).raw().containsKey("contacts_sample"));

        // contacts
        assertEquals(fake.contactCount(), sink.records(CONTACTS).size());
        assertEquals(53, sink.upserts(CONTACTS), "each contact once");
        FakeContact ada = fake.contact("ada@example.com").orElseThrow();
        Record adaRecord = sink.record(CONTACTS, ada.id());
        Map<String, Object> c = adaRecord.columns();
        assertEquals("ada@example.com", c.get("email"));
        assertEquals("Ada", c.get("first_name"));
        assertEquals("Lovelace", c.get("last_name"));
        assertEquals("London", c.get("city"));
        assertEquals("N1 7AA", c.get("postal_code"));
        assertEquals("+44 20 7946 0000", c.get("phone_number"));
        assertEquals("ext-1", c.get("external_id"));
        assertEquals(List.of("ada@old.example.com"), c.get("alternate_emails"));
        assertEquals(Map.of("tier", "gold", "score", 42L, "birthday", "1815-12-10"), c.get("custom_fields"));
        assertEquals(seconds(ada.createdAt()), c.get("created_at"));
        assertEquals(seconds(ada.updatedAt()), c.get("updated_at"));
        assertNull(c.get("list_ids"), "the fake's exports, like SendGrid's published samples, carry no list ids");
        assertEquals(ada.id(), adaRecord.raw().get("contact_id"));
        Map<String, Object> cid = sink.record(CONTACTS, fake.contact("cid@example.com").orElseThrow().id()).columns();
        assertNull(cid.get("first_name"));
        assertEquals(Map.of(), cid.get("custom_fields"));

        // memberships: from one export per list that has members, the empty list skipped
        assertEquals(fakeMemberships(), sink.records(LIST_MEMBERSHIPS).keySet());
        assertEquals(53, sink.records(LIST_MEMBERSHIPS).size());
        Map<String, Object> m = sink.record(LIST_MEMBERSHIPS, a.vip().id() + ":" + ada.id()).columns();
        assertEquals(a.vip().id(), m.get("list_id"));
        assertEquals(ada.id(), m.get("contact_id"));
        List<RecordedRequest> exports = exportRequests();
        assertEquals(3, exports.size(), "all contacts, then Newsletter and VIP; not the empty list");
        assertFalse(exports.get(0).bodyText().contains("list_ids"));
        assertTrue(exports.get(0).bodyText().contains("\"file_type\":\"json\""));
        assertTrue(exports.stream().noneMatch(r -> r.bodyText().contains(a.empty().id())));

        // downloads go without the API key; nothing secret reaches the event log
        List<RecordedRequest> downloads = fake.requests().stream().filter(r -> r.path().startsWith("/_fake/exports/"))
                .toList();
        assertEquals(3, downloads.size());
        assertTrue(downloads.stream().allMatch(r -> !r.headers().containsKey("authorization")));
        assertFalse(ctx.eventLog().dump().contains(KEY));
        assertEquals(1, ctx.eventLog().named("contact export requested").size());
        assertEquals(53L, ctx.eventLog().named("object sync finished").get(0).fields().get(CONTACTS));
        assertTrue(ctx.eventLog().httpAttempts().stream().filter(h -> h.url().contains("/_fake/exports/"))
                .allMatch(h -> h.responseBody().startsWith("[streamed to the connector: ")));
    }

    @Test
    @DisplayName("list ids in export lines are used when SendGrid writes them (fake guess G11)")
    void listIdsInTheExportLinesAreUsedWhenSendGridWritesThem() throws Exception {
        Account a = seed();
        fake.jsonExportListIds(true);
        RecordingRecordSink sink = pass();

        FakeContact ada = fake.contact("ada@example.com").orElseThrow();
        assertEquals(Set.of(a.newsletter().id(), a.vip().id()),
                Set.copyOf((List<?>) sink.record(CONTACTS, ada.id()).columns().get("list_ids")));
        assertEquals(List.of(a.gold().id(), a.engaged().id()).stream().sorted().toList(),
                ((List<?>) sink.record(CONTACTS, ada.id()).columns().get("segment_ids")).stream().sorted().toList());
        assertNull(sink.record(CONTACTS, fake.contact("cid@example.com").orElseThrow().id()).columns().get("list_ids"));
        assertEquals(fakeMemberships(), sink.records(LIST_MEMBERSHIPS).keySet());
        assertEquals(1, exportRequests().size(), "memberships derived from the contacts: no list exports");
        assertTrue(sink.isCompleted(LIST_MEMBERSHIPS));
    }

    @Test
    void theNextPassEmitsTheNewStateAndLeavesDeletedObjectsOut() throws Exception {
        Account a = seed();
        RecordingRecordSink first = pass();
        assertEquals(3, first.records(LISTS).size());

        fake.renameList(a.newsletter().id(), "Weekly newsletter");
        fake.deleteList(a.vip().id());
        fake.deleteSegment(a.gold().id());
        fake.seedContacts(IntStream.range(0, 10).mapToObj(i -> ContactSeed.of("new-" + i + "@example.com")
                .inLists(a.newsletter().id())).toList());
        fake.addCustomField("plan", FieldType.TEXT);

        RecordingRecordSink second = pass();
        assertEquals(Set.of(FIELD_DEFINITIONS, LISTS, SEGMENTS, CONTACTS, LIST_MEMBERSHIPS), second.completed());
        assertEquals(Set.of(a.newsletter().id(), a.empty().id()), second.records(LISTS).keySet());
        assertEquals("Weekly newsletter", second.record(LISTS, a.newsletter().id()).columns().get("name"));
        assertEquals(Set.of(a.engaged().id()), second.records(SEGMENTS).keySet());
        assertEquals(63, second.records(CONTACTS).size());
        assertEquals(fakeMemberships(), second.records(LIST_MEMBERSHIPS).keySet());
        assertTrue(second.records(LIST_MEMBERSHIPS).keySet().stream().noneMatch(k -> k.startsWith(a.vip().id())),
                "no membership of the deleted list");
        assertEquals(62, second.records(LIST_MEMBERSHIPS).size());
        assertEquals(4 + RESERVED_FIELDS, second.records(FIELD_DEFINITIONS).size());
    }

    @Test
    @DisplayName("lists and segments are read across several pages (segment paging: fake guess G12)")
    void listsAndSegmentsAreReadAcrossSeveralPages() throws Exception {
        sync = new SendGridObjectSync(pause, 7);
        List<String> lists = IntStream.range(0, 20).mapToObj(i -> fake.createList("list " + i).id()).toList();
        fake.seedContact(ContactSeed.of("a@example.com").inLists(lists.get(19)));
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            segments.add(fake.addSegment("segment " + i, "q" + i, List.of("a@example.com")).id());
            Thread.sleep(2);  // the fake orders segments by creation time
        }
        fake.segmentsPageSize(2);

        RecordingRecordSink sink = pass();
        assertEquals(Set.copyOf(lists), sink.records(LISTS).keySet());
        assertEquals(20, sink.upserts(LISTS), "each list once");
        List<RecordedRequest> listPages = fake.requests("GET", "/v3/marketing/lists");
        assertEquals(3, listPages.size());
        assertEquals("7", listPages.get(0).queryParam("page_size"));
        assertNull(listPages.get(0).queryParam("page_token"));
        assertTrue(listPages.subList(1, 3).stream().allMatch(r -> r.queryParam("page_token") != null));
        assertEquals(Set.copyOf(segments), sink.records(SEGMENTS).keySet());
        assertEquals(3, fake.requests("GET", "/v3/marketing/segments/2.0").size());
        assertEquals(Set.of(lists.get(19) + ":" + fake.contact("a@example.com").orElseThrow().id()),
                sink.records(LIST_MEMBERSHIPS).keySet());
    }

    @Test
    @DisplayName("exports are polled with backoff until ready (export timing: fake guess G11)")
    void exportsArePolledWithBackoffUntilReady() throws Exception {
        try (FakeSendGrid slow = FakeSendGrid.builder().exportDelay(Duration.ofMillis(400)).start()) {
            slow.seedContact(ContactSeed.of("a@example.com"));
            RecordingRecordSink sink = pass(context(slow.baseUrl()));
            assertTrue(sink.isCompleted(CONTACTS));
            assertEquals(1, sink.records(CONTACTS).size());
            long polls = slow.requests().stream().filter(r -> r.method().equals("GET")
                    && r.path().startsWith("/v3/marketing/contacts/exports/")).count();
            assertTrue(polls >= 3, polls + " polls");
            assertEquals(polls, pauses.size(), "a pause before every poll");
            assertEquals(ImportJobs.FIRST_POLL, pauses.get(0));
            assertEquals(ImportJobs.FIRST_POLL.multipliedBy(2), pauses.get(1));
            assertTrue(pauses.stream().allMatch(p -> p.compareTo(ImportJobs.MAX_POLL) <= 0), pauses.toString());
            slow.assertNoViolations();
        }
    }

    // ------------------------------------------------------------------ failures

    @Test
    @DisplayName("a failed export ends the pass retriably (fake guess G11)")
    void aFailedExportEndsThePassRetriablyWithoutCompletingContacts() throws Exception {
        seed();
        fake.failNextExport("export failed: internal error");
        RecordingRecordSink sink = RecordingRecordSink.of(sync.collections());
        RetriableConnectorException e = assertThrows(RetriableConnectorException.class, () -> sync.sync(context(), sink));
        assertEquals("export_failed", e.code());
        assertTrue(e.getMessage().contains("internal error"), e.getMessage());
        assertEquals(Set.of(FIELD_DEFINITIONS, LISTS, SEGMENTS), sink.completed());
        assertFalse(sink.isCompleted(CONTACTS));
        assertFalse(sink.isCompleted(LIST_MEMBERSHIPS));
        assertTrue(pass().isCompleted(CONTACTS), "the next pass exports again");
    }

    @Test
    void serverErrorsOnTheDownloadEndThePassRetriablyWithoutCompletingContacts() throws Exception {
        seed();
        fake.inject(Fault.status(503).times(100).on("GET", "/_fake/exports/"));
        RecordingRecordSink sink = RecordingRecordSink.of(sync.collections());
        RetriableConnectorException e = assertThrows(RetriableConnectorException.class, () -> sync.sync(context(), sink));
        assertEquals("vendor_error", e.code());
        assertTrue(sink.begun().contains(CONTACTS));
        assertFalse(sink.isCompleted(CONTACTS));
        assertEquals(6, fake.requests().stream().filter(r -> r.path().startsWith("/_fake/exports/")).count(),
                "the download was retried as the call allows, then the pass gave up");
        fake.clearFaults();
    }

    @Test
    void serverErrorsMidwayLeaveTheCollectionInProgressUncompleted() throws Exception {
        seed();
        RecordingRecordSink recording = RecordingRecordSink.of(sync.collections());
        // once the contacts are complete, every further export request fails: the list exports break off
        RecordSink sink = new HookedSink(recording, (call, collection) -> {
            if (call.equals("complete") && collection.equals(CONTACTS)) {
                fake.inject(Fault.status(500).times(100).on("POST", "/v3/marketing/contacts/exports"));
            }
        });
        RetriableConnectorException e = assertThrows(RetriableConnectorException.class, () -> sync.sync(context(), sink));
        assertEquals("vendor_error", e.code());
        assertTrue(recording.isCompleted(CONTACTS));
        assertEquals(53, recording.records(CONTACTS).size());
        assertFalse(recording.isCompleted(LIST_MEMBERSHIPS), "memberships were not all read");
        assertEquals(1 + 6, exportRequests().size(), "the export request is retried (marked idempotent), then given up");
        fake.clearFaults();
    }

    @Test
    @DisplayName("rate limits are waited out by the HTTP client (429 headers: fake guess G13)")
    void rateLimitsAreWaitedOutByTheHttpClient() throws Exception {
        seed();
        fake.inject(Fault.rateLimited(Duration.ofSeconds(2)).times(2).on("GET", "/v3/marketing/lists"));
        fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).times(2).on("POST", "/v3/marketing/contacts/exports"));
        fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).on("GET", "/v3/marketing/contacts/exports/"));
        fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).on("GET", "/_fake/exports/"));
        fake.inject(Fault.rateLimited(Duration.ofSeconds(1)).on("GET", "/v3/marketing/segments/2.0/"));
        RecordingRecordSink sink = pass();
        assertEquals(Set.of(FIELD_DEFINITIONS, LISTS, SEGMENTS, CONTACTS, LIST_MEMBERSHIPS), sink.completed());
        assertEquals(53, sink.records(CONTACTS).size());
        assertEquals(fakeMemberships(), sink.records(LIST_MEMBERSHIPS).keySet());
        assertEquals(7, fake.requests().stream().filter(r -> r.status() == 429).count());
        assertEquals(7, httpWaits.size(), "every 429 waited out by the client");
    }

    @Test
    @DisplayName("an export on a host that is not allowed fails naming the host (file URLs: fake guess G11)")
    void anExportOnAHostThatIsNotAllowedIsAPermanentFailureNamingTheHost() throws Exception {
        fake.seedContact(ContactSeed.of("a@example.com"));
        // the API through "localhost"; the fake names its files on 127.0.0.1, which is then not allowed
        RecordingRecordSink sink = RecordingRecordSink.of(sync.collections());
        PermanentConnectorException e = assertThrows(PermanentConnectorException.class, () ->
                sync.sync(context("http://localhost:" + fake.port()), sink));
        assertEquals("export_host_not_allowed", e.code());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertFalse(sink.isCompleted(CONTACTS));
    }

    @Test
    void aRevokedKeyIsPermanent() {
        fake.removeApiKey(KEY);
        RecordingRecordSink sink = RecordingRecordSink.of(sync.collections());
        PermanentConnectorException e = assertThrows(PermanentConnectorException.class, () -> sync.sync(context(), sink));
        assertEquals("unauthorized", e.code());
        assertEquals(Set.of(), sink.begun());
    }
}
