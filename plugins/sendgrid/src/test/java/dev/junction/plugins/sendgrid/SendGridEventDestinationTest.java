package dev.junction.plugins.sendgrid;

import dev.junction.fakesendgrid.CustomField;
import dev.junction.fakesendgrid.FakeContact;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Fault;
import dev.junction.fakesendgrid.FieldType;
import dev.junction.fakesendgrid.Permission;
import dev.junction.fakesendgrid.Permission.Action;
import dev.junction.fakesendgrid.Permission.Resource;
import dev.junction.fakesendgrid.RecordedRequest;
import dev.junction.runtime.JacksonJson;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.destination.Consent;
import dev.junction.spi.destination.DeliveryOutcome;
import dev.junction.spi.destination.DeliveryOutcome.Status;
import dev.junction.spi.destination.DestinationEvent;
import dev.junction.spi.destination.EventType;
import dev.junction.testkit.RecordingEventLog;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SendGridEventDestination} against the fake SendGrid in strict OpenAPI mode: every request
 * must match SendGrid's published spec ({@link AgainstFakeSendGrid}), and every test checks the
 * contacts SendGrid ends up with, not only the outcomes.
 */
class SendGridEventDestinationTest extends AgainstFakeSendGrid {

    private static final String CONTACTS = "/v3/marketing/contacts";
    private static final String FIELDS = "/v3/marketing/field_definitions";
    private static final Instant T0 = Instant.parse("2024-05-01T09:59:00Z");

    private final SendGridEventDestination destination = new SendGridEventDestination();
    private int ids;

    // ------------------------------------------------------------------ helpers

    private TestContext context() {
        return context(Map.of());
    }

    private TestContext context(Map<String, ?> config) {
        return context(KEY, config);
    }

    private TestContext context(String key, Map<String, ?> config) {
        return context(key, fake.baseUrl(), config);
    }

    private String nextId() {
        return "evt-" + (++ids);
    }

    private DestinationEvent identify(String userId, Map<String, Object> traits) {
        return DestinationEvent.builder(nextId(), EventType.IDENTIFY, T0).userId(userId).traits(traits).profile(traits)
                .email(traits.get("email") instanceof String s && !s.isBlank() ? s.strip() : null).build();
    }

    /** An event of the user whose profile has this e-mail. */
    private DestinationEvent event(String type, String name, String email, Map<String, Object> properties,
                                   Map<String, Object> computedTraits, Instant at) {
        return DestinationEvent.builder(nextId(), EventType.valueOf(type.toUpperCase(Locale.ROOT)), at).event(name)
                .userId("u-" + email).properties(properties).profile(Map.of("email", email)).email(email)
                .computedTraits(computedTraits).build();
    }

    private DestinationEvent page(String email, String url) {
        return event("page", "Home", email, Map.of("url", url), Map.of(), T0);
    }

    private DestinationEvent track(String email, String name, Map<String, Object> properties,
                                   Map<String, Object> computedTraits, Instant at) {
        return event("track", name, email, properties, computedTraits, at);
    }

    private DestinationEvent productViewed(String email, String productId) {
        return track(email, "Product Viewed", Map.of("product_id", productId), Map.of(), T0);
    }

    private DestinationEvent orderCompleted(String email, String lifetimeValue, Instant at) {
        return track(email, "Order Completed", Map.of("revenue", 1), Map.of("lifetime_value", new BigDecimal(lifetimeValue),
                "order_count", 1L), at);
    }

    private static DestinationEvent withContext(DestinationEvent e, Map<String, Object> context) {
        return e.toBuilder().context(context).build();
    }

    private static DestinationEvent withConsent(DestinationEvent e, boolean marketing) {
        return e.toBuilder().consent(new Consent(Map.of(Consent.MARKETING, marketing, "analytics", true))).build();
    }

    private Map<String, DeliveryOutcome> deliver(TestContext ctx, DestinationEvent... events) throws ConnectorException {
        return deliver(ctx, List.of(events));
    }

    private Map<String, DeliveryOutcome> deliver(TestContext ctx, List<DestinationEvent> events) throws ConnectorException {
        List<DeliveryOutcome> outcomes = destination.deliver(ctx, events);
        assertEquals(events.stream().map(DestinationEvent::id).toList(), outcomes.stream().map(DeliveryOutcome::eventId).toList(),
                "one outcome per event, in order");
        fake.awaitJobs();
        assertFalse(ctx.eventLog().dump().contains(KEY), "the API key never reaches the event log");
        Map<String, DeliveryOutcome> byId = new LinkedHashMap<>();
        outcomes.forEach(o -> byId.put(o.eventId(), o));
        return byId;
    }

    private static void assertDelivered(DeliveryOutcome o) {
        assertEquals(DeliveryOutcome.delivered(o.eventId(), 202), o);
    }

    private static void assertOutcome(Status status, String reasonPart, DeliveryOutcome o) {
        assertEquals(status, o.status(), o.toString());
        assertNotNull(o.reason(), o.toString());
        assertTrue(o.reason().toLowerCase().contains(reasonPart.toLowerCase()), o.reason());
    }

    private List<RecordedRequest> puts() {
        return fake.requests("PUT", CONTACTS);
    }

    private Map<?, ?> body(RecordedRequest r) {
        return (Map<?, ?>) JacksonJson.INSTANCE.parse(r.body());
    }

    private Map<String, FieldType> fieldTypes() {
        return fake.customFields().stream().collect(Collectors.toMap(CustomField::name, CustomField::type));
    }

    private long fieldCreations(String name) {
        return fake.requests("POST", FIELDS).stream().filter(r -> r.bodyText().contains("\"" + name + "\"")).count();
    }

    private static Map<String, Object> traits(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    // ------------------------------------------------------------------ mapping

    @Test
    void identifyUpsertsTheContactWithNamesPhoneUserIdAndTheDefaultList() throws Exception {
        String listId = fake.createList("Newsletter").id();
        DestinationEvent ada = identify("u-1", traits("email", "Ada@Example.com", "firstName", "Ada", "lastName", "Lovelace",
                "phone", "+44 (20) 7946-0958", "plan", "pro"));
        DestinationEvent grace = identify("u-2", traits("email", "grace@example.com", "first_name", "Grace",
                "last_name", "Hopper"));

        Map<String, DeliveryOutcome> out = deliver(context(Map.of("default_list_id", listId)), ada, grace);

        assertDelivered(out.get(ada.id()));
        assertDelivered(out.get(grace.id()));
        FakeContact a = fake.contact("ada@example.com").orElseThrow();
        assertEquals("ada@example.com", a.email());
        assertEquals("Ada", a.firstName());
        assertEquals("Lovelace", a.lastName());
        assertEquals("+442079460958", a.phoneNumber(), "E.164 once the punctuation is dropped");
        assertNull(a.externalId(), "SendGrid's External ID identifier is never set");
        assertEquals(Map.of("junction_user_id", "u-1"), fake.customFieldValues("ada@example.com"));
        assertEquals(Set.of(listId), a.listIds());
        FakeContact g = fake.contact("grace@example.com").orElseThrow();
        assertEquals("Grace", g.firstName());
        assertEquals("Hopper", g.lastName());
        assertNull(g.phoneNumber());
        assertEquals(Map.of("junction_user_id", "u-2"), fake.customFieldValues("grace@example.com"));
        assertEquals(2, fake.listMembers(listId).size());
        assertEquals(Map.of("junction_user_id", FieldType.TEXT), fieldTypes());
        assertEquals(1, puts().size(), "both contacts in one request");
        assertEquals(List.of(listId), body(puts().get(0)).get("list_ids"));
    }

    @Test
    void userIdAsExternalIdSetsSendGridsIdentifierOnEveryUpsertOfTheUser() throws Exception {
        TestContext ctx = context(Map.of("user_id_as_external_id", true));
        DestinationEvent ada = identify("u-ada@example.com", traits("email", "ada@example.com", "firstName", "Ada"));
        assertDelivered(deliver(ctx, ada).get(ada.id()));
        DestinationEvent visit = page("ada@example.com", "https://shop.example/home");
        DestinationEvent anonymous = DestinationEvent.builder(nextId(), EventType.PAGE, T0).event("Home").anonymousId("anon-1")
                .properties(Map.of("url", "https://shop.example/a")).profile(Map.of("email", "anon@example.com"))
                .email("anon@example.com").build();

        Map<String, DeliveryOutcome> out = deliver(ctx, visit, anonymous);

        assertDelivered(out.get(visit.id()));
        assertDelivered(out.get(anonymous.id()));
        FakeContact a = fake.contact("ada@example.com").orElseThrow();
        assertEquals("u-ada@example.com", a.externalId());
        assertEquals("u-ada@example.com", fake.customFieldValues("ada@example.com").get("junction_user_id"),
                "the custom field is written as well");
        List<?> sent = (List<?>) body(puts().get(1)).get("contacts");
        Map<?, ?> adaSent = sent.stream().map(c -> (Map<?, ?>) c).filter(c -> "ada@example.com".equals(c.get("email")))
                .findFirst().orElseThrow();
        assertEquals("u-ada@example.com", adaSent.get("external_id"), "a page upsert carries the identifier too");
        Map<?, ?> anonSent = sent.stream().map(c -> (Map<?, ?>) c).filter(c -> "anon@example.com".equals(c.get("email")))
                .findFirst().orElseThrow();
        assertFalse(anonSent.containsKey("external_id"), "no user id, no identifier");
        assertNull(fake.contact("anon@example.com").orElseThrow().externalId());
        fake.assertNoViolations();
    }

    @Test
    void identifyWithoutADefaultListAddsToNoListAndAnUnusablePhoneIsLeftOut() throws Exception {
        fake.createList("Other");
        TestContext ctx = context();
        DestinationEvent ada = identify("u-1", traits("email", "ada@example.com", "firstName", "Ada", "phone", "020 7946 0958"));

        Map<String, DeliveryOutcome> out = deliver(ctx, ada);

        assertDelivered(out.get(ada.id()));
        FakeContact a = fake.contact("ada@example.com").orElseThrow();
        assertEquals("Ada", a.firstName());
        assertNull(a.phoneNumber(), "a national number cannot be made E.164 without its country");
        assertEquals(Set.of(), a.listIds());
        assertFalse(body(puts().get(0)).containsKey("list_ids"));
        assertEquals(1, ctx.eventLog().named("phone not sent").size());
    }

    @Test
    void pageProductViewedAndOrderCompletedSetTheCustomFields() throws Exception {
        Instant firstOrder = Instant.parse("2024-05-02T10:15:30.123Z");
        DestinationEvent page = page("ada@example.com", "https://shop.example/p/42");
        DestinationEvent viewed = productViewed("ada@example.com", "sku-42");
        DestinationEvent order = orderCompleted("ada@example.com", "30.50", firstOrder);
        DestinationEvent otherPage = withContext(event("page", null, "bob@example.com", Map.of(), Map.of(), T0),
                Map.of("page", Map.of("url", "https://shop.example/cart")));

        Map<String, DeliveryOutcome> out = deliver(context(), page, viewed, order, otherPage);

        out.values().forEach(SendGridEventDestinationTest::assertDelivered);
        assertEquals(Map.of("last_page_url", "https://shop.example/p/42", "last_product_id", "sku-42",
                "last_purchase_at", "2024-05-02T10:15:30Z", "lifetime_value", 30.5), fake.customFieldValues("ada@example.com"));
        assertEquals(Map.of("last_page_url", "https://shop.example/cart"), fake.customFieldValues("bob@example.com"),
                "context.page.url when properties.url is absent");
        assertEquals(Map.of("last_page_url", FieldType.TEXT, "last_product_id", FieldType.TEXT,
                "last_purchase_at", FieldType.DATE, "lifetime_value", FieldType.NUMBER), fieldTypes());

        Instant secondOrder = Instant.parse("2024-06-01T08:00:00Z");
        DestinationEvent second = orderCompleted("ada@example.com", "80.50", secondOrder);
        assertDelivered(deliver(context(), second).get(second.id()));

        Map<String, Object> values = fake.customFieldValues("ada@example.com");
        assertEquals(80.5, values.get("lifetime_value"), "the platform's running total, not an increment");
        assertEquals("2024-06-01T08:00:00Z", values.get("last_purchase_at"));
        assertEquals("sku-42", values.get("last_product_id"), "fields the event does not set stay as they were");
    }

    @Test
    void twoOrdersInOneBatchDeliverTheAccumulatedLifetimeValue() throws Exception {
        DestinationEvent first = orderCompleted("ada@example.com", "30", T0);
        DestinationEvent second = orderCompleted("ada@example.com", "75.25", T0.plusSeconds(60));

        Map<String, DeliveryOutcome> out = deliver(context(), first, second);

        assertDelivered(out.get(first.id()));
        assertDelivered(out.get(second.id()));
        assertEquals(75.25, fake.customFieldValues("ada@example.com").get("lifetime_value"));
        assertEquals("2024-05-01T10:00:00Z", fake.customFieldValues("ada@example.com").get("last_purchase_at"));
        List<?> contacts = (List<?>) body(puts().get(0)).get("contacts");
        assertEquals(1, contacts.size());
        String lifetimeId = fake.customField("lifetime_value").orElseThrow().id();
        assertEquals(75.25, ((Map<?, ?>) ((Map<?, ?>) contacts.get(0)).get("custom_fields")).get(lifetimeId),
                "sent as a JSON number");
    }

    // ------------------------------------------------------------------ custom fields

    @Test
    void missingFieldsAreCreatedOnceWithTheirTypesThenTheCacheIsUsed() throws Exception {
        List<DestinationEvent> batch = List.of(identify("u-1", traits("email", "ada@example.com")),
                page("ada@example.com", "https://a.example/"), productViewed("ada@example.com", "p-1"),
                orderCompleted("ada@example.com", "10", T0));
        deliver(context(), batch);

        assertEquals(Map.of("junction_user_id", FieldType.TEXT, "last_page_url", FieldType.TEXT,
                "last_product_id", FieldType.TEXT, "last_purchase_at", FieldType.DATE, "lifetime_value", FieldType.NUMBER),
                fieldTypes());
        assertEquals(1, fake.requests("GET", FIELDS).size());
        assertEquals(5, fake.requests("POST", FIELDS).size());
        Map<?, ?> cache = (Map<?, ?>) JacksonJson.INSTANCE.parse(state.get(CustomFieldCatalog.STATE_KEY).orElseThrow());
        assertEquals(Map.of("id", fake.customField("lifetime_value").orElseThrow().id(), "type", "Number"),
                cache.get("lifetime_value"));

        fake.clearRequests();
        DestinationEvent later = page("bob@example.com", "https://b.example/");
        assertDelivered(deliver(context(), later, orderCompleted("bob@example.com", "5", T0)).get(later.id()));

        assertTrue(fake.requests("GET", FIELDS).isEmpty(), "another call of the installation reuses the cached ids");
        assertTrue(fake.requests("POST", FIELDS).isEmpty());
        assertEquals("https://b.example/", fake.customFieldValues("bob@example.com").get("last_page_url"));
        assertEquals(5, fake.customFields().size(), "no duplicate fields");
    }

    @Test
    void existingFieldsAreFoundByNameAndReused() throws Exception {
        CustomField url = fake.addCustomField("Last_Page_URL", FieldType.TEXT);  // names are case-insensitive
        CustomField value = fake.addCustomField("lifetime_value", FieldType.NUMBER);
        fake.addCustomField("tier", FieldType.TEXT);

        deliver(context(), page("ada@example.com", "https://a.example/"), orderCompleted("ada@example.com", "12", T0));

        assertEquals(0, fieldCreations("last_page_url") + fieldCreations("lifetime_value"));
        assertEquals(1, fieldCreations("last_purchase_at"));
        FakeContact ada = fake.contact("ada@example.com").orElseThrow();
        assertEquals("https://a.example/", ada.customFields().get(url.id()));
        assertEquals(12L, ada.customFields().get(value.id()));
        assertEquals(4, fake.customFields().size());
    }

    @Test
    @DisplayName("a field of the wrong type rejects the events that need it (value checks: fake guess G7)")
    void aFieldOfTheWrongTypeRejectsTheEventsThatNeedItWithAClearReason() throws Exception {
        CustomField text = fake.addCustomField("lifetime_value", FieldType.TEXT);
        TestContext ctx = context();
        DestinationEvent order = orderCompleted("ada@example.com", "30", T0);
        DestinationEvent page = page("ada@example.com", "https://a.example/");

        Map<String, DeliveryOutcome> out = deliver(ctx, order, page);

        DeliveryOutcome rejected = out.get(order.id());
        assertEquals(Status.REJECTED, rejected.status());
        for (String part : List.of("\"lifetime_value\"", text.id(), "is a Text field", "writes Number values",
                "Delete or rename", "replay")) {
            assertTrue(rejected.reason().contains(part), part + " in " + rejected.reason());
        }
        assertDelivered(out.get(page.id()));
        assertEquals(Map.of("last_page_url", "https://a.example/"), fake.customFieldValues("ada@example.com"),
                "nothing of the rejected event is written, not even last_purchase_at");
        RecordingEventLog.Entry logged = ctx.eventLog().named("custom field type mismatch").get(0);
        assertEquals(EventLog.Level.ERROR, logged.level());
        assertEquals(Map.of("field", "lifetime_value", "field_id", text.id(), "actual_type", "Text",
                "expected_type", "Number"), logged.fields());
        assertEquals(0, fieldCreations("lifetime_value"), "the tenant's field is left alone");
        assertFalse(state.get(CustomFieldCatalog.STATE_KEY).orElseThrow().contains("lifetime_value"), "not cached");

        fake.deleteCustomField("lifetime_value");  // the fix the reason describes
        assertDelivered(deliver(context(), order).get(order.id()));  // replayed
        assertEquals(FieldType.NUMBER, fake.customField("lifetime_value").orElseThrow().type());
        assertEquals(30L, fake.customFieldValues("ada@example.com").get("lifetime_value"));
    }

    @Test
    @DisplayName("a field deleted in SendGrid is looked up again once (unknown-id refusal: fake guess G7)")
    void aFieldDeletedInSendGridIsLookedUpAgainOnce() throws Exception {
        deliver(context(), page("ada@example.com", "https://a.example/"));
        String oldId = fake.customField("last_page_url").orElseThrow().id();
        fake.deleteCustomField(oldId);
        fake.clearRequests();
        TestContext ctx = context();
        DestinationEvent page = page("bob@example.com", "https://b.example/");

        assertDelivered(deliver(ctx, page).get(page.id()));

        String newId = fake.customField("last_page_url").orElseThrow().id();
        assertFalse(newId.equals(oldId));
        assertEquals("https://b.example/", fake.contact("bob@example.com").orElseThrow().customFields().get(newId));
        assertEquals(List.of(400, 202), puts().stream().map(RecordedRequest::status).toList());
        assertTrue(puts().get(0).bodyText().contains(oldId) && puts().get(1).bodyText().contains(newId));
        assertEquals(1, ctx.eventLog().named("custom fields refreshed").size());
        assertTrue(state.get(CustomFieldCatalog.STATE_KEY).orElseThrow().contains(newId), "the cache now has the new id");
    }

    @Test
    void aKeyThatMayNotCreateFieldsRejectsOnlyTheEventsNeedingThem() throws Exception {
        String key = "SG.no-create.0123456789abcdef";
        fake.addApiKey(key, FakeSendGrid.MARKETING_SCOPES, allBut(new Permission(Resource.CUSTOM_FIELDS, Action.CREATE)));
        TestContext ctx = context(key, Map.of());
        DestinationEvent page = page("ada@example.com", "https://a.example/");
        DestinationEvent anonymousIdentify = identify(null, traits("email", "ada@example.com", "firstName", "Ada"));

        Map<String, DeliveryOutcome> out = deliver(ctx, page, anonymousIdentify);

        DeliveryOutcome rejected = out.get(page.id());
        assertEquals(Status.REJECTED, rejected.status());
        assertEquals(403, rejected.httpStatus());
        assertTrue(rejected.reason().contains("\"last_page_url\" (Text)") && rejected.reason().contains("Marketing access"),
                rejected.reason());
        assertDelivered(out.get(anonymousIdentify.id()));
        assertEquals("Ada", fake.contact("ada@example.com").orElseThrow().firstName());
        assertTrue(fake.customFields().isEmpty());
        assertEquals(EventLog.Level.ERROR, ctx.eventLog().named("custom field unavailable").get(0).level());
    }

    // ------------------------------------------------------------------ batching

    @Test
    void eventsOfOneEmailBecomeOneContactWhereTheLastWriteOfEachFieldWins() throws Exception {
        String listId = fake.createList("Newsletter").id();
        List<DestinationEvent> batch = List.of(
                identify("u-1", traits("email", "ada@example.com", "firstName", "Ada", "lastName", "King")),
                page("ADA@example.com", "https://a.example/1"),
                identify("u-1", traits("email", "Ada@Example.COM", "firstName", "Augusta")),
                page("ada@example.com", "https://a.example/2"),
                productViewed("ada@example.com", "p-7"),
                page("bob@example.com", "https://b.example/"));

        Map<String, DeliveryOutcome> out = deliver(context(Map.of("default_list_id", listId)), batch);

        out.values().forEach(SendGridEventDestinationTest::assertDelivered);
        FakeContact ada = fake.contact("ada@example.com").orElseThrow();
        assertEquals("Augusta", ada.firstName(), "the later identify wins");
        assertEquals("King", ada.lastName(), "a field the later event does not mention survives");
        assertEquals(Map.of("junction_user_id", "u-1", "last_page_url", "https://a.example/2", "last_product_id", "p-7"),
                fake.customFieldValues("ada@example.com"));
        assertEquals(Set.of(listId), ada.listIds());
        assertEquals(Set.of(), fake.contact("bob@example.com").orElseThrow().listIds(), "only identify joins the list");
        assertEquals(2, fake.contactCount());
        assertEquals(2, puts().size(), "one request joining the list, one not");
        assertEquals(List.of(1, 1), puts().stream().map(RecordedRequest::batchSize).toList());
    }

    @Test
    void aFullBatchIsOneRequest() throws Exception {
        assertEquals(500, destination.maxBatchSize());
        List<DestinationEvent> batch = IntStream.range(0, 500)
                .mapToObj(i -> page("user" + i + "@example.com", "https://a.example/" + i)).toList();

        Map<String, DeliveryOutcome> out = deliver(context(), batch);

        out.values().forEach(SendGridEventDestinationTest::assertDelivered);
        assertEquals(1, puts().size());
        assertEquals(500, puts().get(0).batchSize());
        assertEquals(500, fake.contactCount());
        assertEquals("https://a.example/499", fake.customFieldValues("user499@example.com").get("last_page_url"));
    }

    @Test
    void deliveringTheSameBatchAgainLeavesTheSameContacts() throws Exception {
        List<DestinationEvent> batch = List.of(identify("u-1", traits("email", "ada@example.com", "firstName", "Ada")),
                orderCompleted("ada@example.com", "30", T0));
        deliver(context(), batch);
        FakeContact first = fake.contact("ada@example.com").orElseThrow();

        deliver(context(), batch);  // at least once: a retry after a crash

        FakeContact again = fake.contact("ada@example.com").orElseThrow();
        assertEquals(first.id(), again.id());
        assertEquals(first.customFields(), again.customFields());
        assertEquals(1, fake.contactCount());
    }

    // ------------------------------------------------------------------ filtered, skipped, rejected locally

    @Test
    void anEventWithoutAKnownEmailIsSkipped() throws Exception {
        DestinationEvent anonymous = DestinationEvent.builder(nextId(), EventType.TRACK, T0).event("Product Viewed")
                .anonymousId("anon-1").properties(Map.of("product_id", "p-1")).build();
        DestinationEvent known = DestinationEvent.builder(nextId(), EventType.PAGE, T0).userId("u-9")
                .properties(Map.of("url", "https://a.example/")).profile(Map.of("name", "No Mail")).build();

        Map<String, DeliveryOutcome> out = deliver(context(), anonymous, known);

        assertOutcome(Status.SKIPPED, "no e-mail known for anonymous user anon-1", out.get(anonymous.id()));
        assertOutcome(Status.SKIPPED, "no e-mail known for user u-9", out.get(known.id()));
        assertTrue(fake.requests().isEmpty(), "nothing is sent");
    }

    @Test
    void refusedMarketingConsentIsFiltered() throws Exception {
        DestinationEvent refused = withConsent(page("ada@example.com", "https://a.example/"), false);
        DestinationEvent granted = withConsent(page("bob@example.com", "https://b.example/"), true);

        Map<String, DeliveryOutcome> out = deliver(context(), refused, granted);

        assertOutcome(Status.FILTERED, "refused marketing consent", out.get(refused.id()));
        assertDelivered(out.get(granted.id()));
        assertTrue(fake.contact("ada@example.com").isEmpty());
        assertTrue(fake.contact("bob@example.com").isPresent());
    }

    @Test
    void eventsWithoutConsentDataAreSentByDefaultAndFilteredWhenTheSettingIsOff() throws Exception {
        DestinationEvent noData = page("ada@example.com", "https://a.example/");
        assertDelivered(deliver(context(), noData).get(noData.id()));
        assertTrue(fake.contact("ada@example.com").isPresent());

        DestinationEvent noDataAgain = page("bob@example.com", "https://b.example/");
        DestinationEvent granted = withConsent(page("carol@example.com", "https://c.example/"), true);
        Map<String, DeliveryOutcome> out = deliver(context(Map.of(EventMapping.SEND_WITHOUT_CONSENT, false)), noDataAgain, granted);

        assertOutcome(Status.FILTERED, "no consent data", out.get(noDataAgain.id()));
        assertTrue(out.get(noDataAgain.id()).reason().contains("send_events_without_consent is false"));
        assertDelivered(out.get(granted.id()));
        assertTrue(fake.contact("bob@example.com").isEmpty());
        assertTrue(fake.contact("carol@example.com").isPresent());
    }

    @Test
    void unmappedEventsAreFiltered() throws Exception {
        DestinationEvent cart = track("ada@example.com", "Cart Viewed", Map.of(), Map.of(), T0);

        Map<String, DeliveryOutcome> out = deliver(context(), cart);

        assertOutcome(Status.FILTERED, "\"Cart Viewed\" is not mapped", out.get(cart.id()));
        assertTrue(fake.requests().isEmpty());
    }

    @Test
    void eventsLackingWhatTheirMappingNeedsAreSkipped() throws Exception {
        DestinationEvent noUrl = event("page", null, "ada@example.com", Map.of(), Map.of(), T0);
        DestinationEvent noProduct = track("ada@example.com", "Product Viewed", Map.of(), Map.of(), T0);

        Map<String, DeliveryOutcome> out = deliver(context(), noUrl, noProduct);

        assertOutcome(Status.SKIPPED, "no URL", out.get(noUrl.id()));
        assertOutcome(Status.SKIPPED, "product_id", out.get(noProduct.id()));
        assertTrue(fake.requests().isEmpty());
    }

    @Test
    void invalidEmailsAreRejectedWithoutBeingSent() throws Exception {
        DestinationEvent bad = page("not an e-mail@example", "https://a.example/");
        DestinationEvent long255 = page("a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(58)
                + ".com", "https://a.example/");
        DestinationEvent good = page("ada@example.com", "https://a.example/");

        Map<String, DeliveryOutcome> out = deliver(context(), bad, long255, good);

        assertOutcome(Status.REJECTED, "is not a valid e-mail address", out.get(bad.id()));
        assertNull(out.get(bad.id()).httpStatus());
        assertOutcome(Status.REJECTED, "longer than the 254 characters", out.get(long255.id()));
        assertDelivered(out.get(good.id()));
        assertEquals(1, fake.contactCount());
        assertEquals(1, puts().get(0).batchSize());
    }

    // ------------------------------------------------------------------ SendGrid refusals

    @Test
    @DisplayName("a refused value rejects only the event that set it (refusals: fake guess G8)")
    void aRefusedValueRejectsOnlyTheEventThatSetIt() throws Exception {
        fake.refuseContactValue("phone_number", "+15550000000", "phone_number is not a valid phone number");
        DestinationEvent badPhone = identify("u-1", traits("email", "ada@example.com", "firstName", "Ada", "phone", "+1 555 000 0000"));
        DestinationEvent adaPage = page("ada@example.com", "https://a.example/");
        DestinationEvent bob = identify("u-2", traits("email", "bob@example.com", "firstName", "Bob"));
        TestContext ctx = context();

        Map<String, DeliveryOutcome> out = deliver(ctx, badPhone, adaPage, bob);

        DeliveryOutcome rejected = out.get(badPhone.id());
        assertEquals(DeliveryOutcome.rejected(badPhone.id(),
                "SendGrid refused the contact ada@example.com (400: phone_number is not a valid phone number).", 400), rejected);
        assertDelivered(out.get(adaPage.id()));
        assertDelivered(out.get(bob.id()));
        FakeContact ada = fake.contact("ada@example.com").orElseThrow();
        assertNull(ada.firstName(), "nothing of the refused event is written");
        assertEquals(Map.of("last_page_url", "https://a.example/"), fake.customFieldValues("ada@example.com"));
        assertEquals("Bob", fake.contact("bob@example.com").orElseThrow().firstName());
        assertEquals(List.of(400, 202), puts().stream().map(RecordedRequest::status).toList());
        assertEquals(1, ctx.eventLog().named("contact refused").size());
    }

    @Test
    @DisplayName("a refused custom field value rejects the event whose value won (fake guess G8)")
    void aRefusedCustomFieldValueRejectsTheEventWhoseValueWon() throws Exception {
        fake.refuseContactValue("last_product_id", "sku-bad", "value not accepted");
        DestinationEvent good = productViewed("ada@example.com", "sku-1");
        DestinationEvent bad = productViewed("ada@example.com", "sku-bad");
        DestinationEvent page = page("ada@example.com", "https://a.example/");
        TestContext ctx = context();

        Map<String, DeliveryOutcome> out = deliver(ctx, good, bad, page);

        assertOutcome(Status.REJECTED, "value not accepted", out.get(bad.id()));
        assertDelivered(out.get(good.id()));
        assertDelivered(out.get(page.id()));
        assertEquals(Map.of("last_product_id", "sku-1", "last_page_url", "https://a.example/"),
                fake.customFieldValues("ada@example.com"), "the earlier value wins once the refused one is out");
        // the error names the field's id: looked up again once, in case it was unknown, then narrowed down
        assertEquals(List.of(400, 400, 202), puts().stream().map(RecordedRequest::status).toList());
        assertEquals(1, ctx.eventLog().named("custom fields refreshed").size());
    }

    @Test
    @DisplayName("a refused e-mail rejects every event of that contact (fake guess G8)")
    void aRefusedEmailRejectsEveryEventOfThatContact() throws Exception {
        fake.refuseContactValue("email", "ada@example.com", "email is not accepted");
        DestinationEvent page = page("ada@example.com", "https://a.example/");
        DestinationEvent viewed = productViewed("ADA@example.com", "sku-1");
        DestinationEvent bob = page("bob@example.com", "https://b.example/");

        Map<String, DeliveryOutcome> out = deliver(context(), page, viewed, bob);

        assertOutcome(Status.REJECTED, "email is not accepted", out.get(page.id()));
        assertOutcome(Status.REJECTED, "email is not accepted", out.get(viewed.id()));
        assertDelivered(out.get(bob.id()));
        assertEquals(List.of("bob@example.com"), fake.contacts().stream().map(FakeContact::email).toList());
    }

    @Test
    @DisplayName("narrowing down stops after fifty requests (refusals: fake guess G8)")
    void narrowingDownStopsAfterFiftyRequestsSoTheBatchEnds() throws Exception {
        fake.inject(Fault.status(400).times(1_000).on("PUT", CONTACTS));
        List<DestinationEvent> batch = IntStream.range(0, 64)
                .mapToObj(i -> page("user" + i + "@example.com", "https://a.example/" + i)).toList();

        Map<String, DeliveryOutcome> out = deliver(context(), batch);

        assertEquals(DestinationBatch.MAX_REQUESTS, puts().size());
        assertTrue(out.values().stream().allMatch(o -> o.status() == Status.REJECTED && o.httpStatus() == 400));
        assertTrue(out.values().stream().anyMatch(o -> o.reason().contains("stopped looking for the events at fault "
                + "after 50 requests")), "the rest once the budget is spent");
        assertTrue(out.values().stream().anyMatch(o -> o.reason().startsWith("SendGrid refused the contact")));
        assertEquals(0, fake.contactCount());
    }

    @Test
    @DisplayName("a refusal naming no contact is narrowed down by halving (fake guesses G2, G8)")
    void aRefusalNamingNoContactIsNarrowedDownByHalving() throws Exception {
        fake.inject(Fault.status(400).times(3).on("PUT", CONTACTS));  // [a b c d], [a b], [a]; then accepted
        List<DestinationEvent> batch = List.of(page("a@example.com", "https://x.example/a"),
                page("b@example.com", "https://x.example/b"), page("c@example.com", "https://x.example/c"),
                page("d@example.com", "https://x.example/d"));

        Map<String, DeliveryOutcome> out = deliver(context(), batch);

        DeliveryOutcome a = out.get(batch.get(0).id());
        assertEquals(Status.REJECTED, a.status());
        assertEquals(400, a.httpStatus());
        assertTrue(a.reason().contains("a@example.com") && a.reason().contains("injected error"), a.reason());
        batch.subList(1, 4).forEach(e -> assertDelivered(out.get(e.id())));
        assertEquals(List.of(400, 400, 400, 202, 202), puts().stream().map(RecordedRequest::status).toList());
        assertEquals(List.of(1, 2), puts().subList(3, 5).stream().map(RecordedRequest::batchSize).toList(), "[b], then [c d]");
        assertEquals(Set.of("b@example.com", "c@example.com", "d@example.com"),
                fake.contacts().stream().map(FakeContact::email).collect(Collectors.toSet()));
    }

    @Test
    @DisplayName("a refused contact with several events is narrowed down to the event (fake guess G8)")
    void aRefusedContactWithSeveralEventsIsNarrowedDownToTheEvent() throws Exception {
        fake.inject(Fault.status(400).times(2).on("PUT", CONTACTS));  // [e1+e2], [e1]; then [e2] accepted
        DestinationEvent e1 = page("ada@example.com", "https://a.example/1");
        DestinationEvent e2 = productViewed("ada@example.com", "p-2");

        Map<String, DeliveryOutcome> out = deliver(context(), e1, e2);

        assertEquals(Status.REJECTED, out.get(e1.id()).status());
        assertDelivered(out.get(e2.id()));
        assertEquals(Map.of("last_product_id", "p-2"), fake.customFieldValues("ada@example.com"));
    }

    @Test
    @DisplayName("a default list that does not exist rejects the identify events only (fake guess G5)")
    void aDefaultListThatDoesNotExistRejectsTheIdentifyEventsOnly() throws Exception {
        String missing = UUID.randomUUID().toString();
        TestContext ctx = context(Map.of("default_list_id", missing));
        DestinationEvent ada = identify("u-1", traits("email", "ada@example.com", "firstName", "Ada"));
        DestinationEvent adaPage = page("ada@example.com", "https://a.example/");

        Map<String, DeliveryOutcome> out = deliver(ctx, ada, adaPage);

        assertOutcome(Status.REJECTED, "default_list_id", out.get(ada.id()));
        assertTrue(out.get(ada.id()).reason().contains(missing));
        assertDelivered(out.get(adaPage.id()));
        assertEquals(Map.of("last_page_url", "https://a.example/"), fake.customFieldValues("ada@example.com"));
        assertEquals(1, ctx.eventLog().named("default list refused").size());
    }

    @Test
    void aKeyThatMayNotUpdateContactsRejectsTheBatchAsForbidden() throws Exception {
        String key = "SG.no-update.0123456789abcdef";
        fake.addApiKey(key, FakeSendGrid.MARKETING_SCOPES, allBut(new Permission(Resource.CONTACTS, Action.UPDATE)));
        DestinationEvent page = page("ada@example.com", "https://a.example/");

        DeliveryOutcome o = deliver(context(key, Map.of()), page).get(page.id());

        assertEquals(Status.REJECTED, o.status());
        assertEquals(403, o.httpStatus());
        assertTrue(o.reason().contains("PUT /v3/marketing/contacts") && o.reason().contains("Marketing access"), o.reason());
        assertEquals(0, fake.contactCount());
    }

    @Test
    void aRevokedKeyIsAPermanentFailure() {
        String key = "SG.revoked.0123456789abcdef";
        TestContext ctx = context(key, Map.of());

        PermanentConnectorException e = assertThrows(PermanentConnectorException.class,
                () -> destination.deliver(ctx, List.of(identify(null, traits("email", "ada@example.com")))));

        assertEquals("unauthorized", e.code());
        assertFalse(e.getMessage().contains(key));
    }

    @Test
    @DisplayName("a long rate limit is retriable with SendGrid's wait (429 headers: fake guess G13)")
    void aRateLimitLongerThanTheCallMayWaitIsRetriableWithSendGridsWait() {
        fake.inject(Fault.rateLimited(Duration.ofSeconds(60)).on("PUT", CONTACTS));
        TestContext ctx = context();

        RetriableConnectorException e = assertThrows(RetriableConnectorException.class,
                () -> destination.deliver(ctx, List.of(identify(null, traits("email", "ada@example.com")))));

        assertEquals("rate_limited", e.code());
        assertNotNull(e.retryAfter());
        assertTrue(e.retryAfter().compareTo(Duration.ofSeconds(50)) > 0, e.retryAfter().toString());
        assertEquals(0, fake.contactCount());
    }

    @Test
    @DisplayName("a short rate limit is waited out (429 headers: fake guess G13)")
    void aShortRateLimitIsWaitedOut() throws Exception {
        fake.inject(Fault.rateLimited(Duration.ofSeconds(2)).times(3));
        DestinationEvent page = page("ada@example.com", "https://a.example/");

        assertDelivered(deliver(context(), page).get(page.id()));
        assertEquals("https://a.example/", fake.customFieldValues("ada@example.com").get("last_page_url"));
    }

    @Test
    void aSendGridOutageIsRetriableAndTheRetryDelivers() throws Exception {
        fake.inject(Fault.status(503).times(10).on("PUT", CONTACTS));
        DestinationEvent page = page("ada@example.com", "https://a.example/");

        RetriableConnectorException e = assertThrows(RetriableConnectorException.class,
                () -> destination.deliver(context(), List.of(page)));

        assertEquals("vendor_error", e.code());
        assertEquals(4, puts().size(), "the call's attempts");
        assertEquals(0, fake.contactCount());

        fake.clearFaults();
        assertDelivered(deliver(context(), page).get(page.id()));
        assertEquals("https://a.example/", fake.customFieldValues("ada@example.com").get("last_page_url"));
    }

    @Test
    void theSubmittedJobIsLogged() throws Exception {
        TestContext ctx = context();
        deliver(ctx, page("ada@example.com", "https://a.example/"), page("bob@example.com", "https://b.example/"));

        RecordingEventLog.Entry entry = ctx.eventLog().named("contacts submitted").get(0);
        assertEquals(2, entry.fields().get("contacts"));
        assertEquals(2, entry.fields().get("events"));
        String jobId = (String) entry.fields().get("job_id");
        assertTrue(jobId.matches("[0-9a-f-]{36}"), jobId);
        assertTrue(entry.message().contains("job " + jobId), entry.message());
    }

    @Test
    void everyEventGetsAnOutcomeEvenWhenAnIdComesTwice() throws Exception {
        DestinationEvent page = page("ada@example.com", "https://a.example/");
        List<DestinationEvent> batch = new ArrayList<>(List.of(page, page));

        List<DeliveryOutcome> out = destination.deliver(context(), batch);

        assertEquals(2, out.size());
        assertEquals(Status.DELIVERED, out.get(1).status());
        assertTrue(destination.deliver(context(), List.of()).isEmpty());
        assertEquals(1, fake.requests("GET", FIELDS).size());
    }
}
