package dev.junction.plugins.klaviyo;

import dev.junction.fakeklaviyo.FakeEvent;
import dev.junction.fakeklaviyo.FakeProfile;
import dev.junction.fakeklaviyo.Fault;
import dev.junction.fakeklaviyo.RecordedRequest;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.destination.DeliveryOutcome;
import dev.junction.spi.destination.DeliveryOutcome.Status;
import dev.junction.spi.destination.Consent;
import dev.junction.spi.destination.DestinationEvent;
import dev.junction.spi.destination.EventType;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KlaviyoEventDestination} against the fake Klaviyo in strict mode: every request must match
 * Klaviyo's OpenAPI files ({@link AgainstFakeKlaviyo}), and the tests check the profiles and events
 * Klaviyo ends up with, not only the outcomes.
 */
class KlaviyoEventDestinationTest extends AgainstFakeKlaviyo {

    private static final Instant T0 = Instant.parse("2026-05-01T09:59:00Z");
    private static final String EMAIL = "ada@example.com";
    private static final Consent CONSENTED = consent(true);

    private final KlaviyoEventDestination destination = new KlaviyoEventDestination();
    private int ids;

    private static Consent consent(boolean marketing) {
        return new Consent(Map.of(Consent.MARKETING, marketing));
    }

    private DestinationEvent identify(Map<String, Object> traits) {
        ++ids;
        return DestinationEvent.builder("msg-" + ids, EventType.IDENTIFY, T0.plusSeconds(ids)).userId("user-1").traits(traits)
                .email(traits.get("email") instanceof String s && !s.isBlank() ? s.strip() : null).consent(CONSENTED).build();
    }

    private DestinationEvent event(String type, String name, Map<String, Object> properties, Consent consent) {
        ++ids;
        return DestinationEvent.builder("msg-" + ids, EventType.valueOf(type.toUpperCase(Locale.ROOT)), T0.plusSeconds(ids))
                .event(name).userId("user-1").properties(properties).profile(Map.of("email", EMAIL)).email(EMAIL)
                .consent(consent).build();
    }

    private DestinationEvent track(String name, Map<String, Object> properties) {
        return event("track", name, properties, CONSENTED);
    }

    /** Segment's own e-commerce sequence: identify, a product view, a page, an order. */
    private List<DestinationEvent> sequence() {
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put("email", EMAIL);
        traits.put("firstName", "Ada");
        traits.put("lastName", "Lovelace");
        traits.put("phone", "+1 (415) 555-0100");
        traits.put("plan", "pro");
        return List.of(identify(traits),
                track("Product Viewed", Map.of("product_id", "p-1", "name", "Engine")),
                event("page", "Pricing", Map.of("url", "https://example.com/pricing"), CONSENTED),
                track("Order Completed", Map.of("order_id", "o-1", "revenue", 99.5, "currency", "usd",
                        "products", List.of(Map.of("product_id", "p-1", "quantity", 1)))));
    }

    private List<DeliveryOutcome> deliver(List<DestinationEvent> events) throws Exception {
        return deliver(context(Map.of()), events);
    }

    private List<DeliveryOutcome> deliver(TestContext context, List<DestinationEvent> events) throws Exception {
        List<DeliveryOutcome> outcomes = destination.deliver(context, events);
        assertEquals(events.size(), outcomes.size(), "one outcome per event");
        return outcomes;
    }

    private static void assertAll(Status status, List<DeliveryOutcome> outcomes) {
        outcomes.forEach(o -> assertEquals(status, o.status(), o.toString()));
    }

    /** The profile and the three events of {@link #sequence()}, each exactly once. */
    private void assertSequenceDelivered(List<DestinationEvent> sent) {
        assertEquals(1, fake.state().profileCount(), "one profile, found by e-mail and external id");
        FakeProfile p = fake.state().profileByEmail(EMAIL).orElseThrow();
        assertEquals("user-1", p.externalId());
        assertEquals("+14155550100", p.phoneNumber());
        assertEquals("Ada", p.attributes().get("first_name"));
        assertEquals("Lovelace", p.attributes().get("last_name"));
        assertEquals("pro", p.properties().get("plan").asText());
        assertEquals(3, fake.state().events().size(), "three events, once each: " + fake.state().events());
        FakeEvent viewed = fake.state().events("Product Viewed").get(0);
        assertEquals(sent.get(1).id(), viewed.uniqueId());
        assertEquals("p-1", viewed.properties().get("product_id").asText());
        FakeEvent page = fake.state().events(KlaviyoEventMapping.VIEWED_PAGE).get(0);
        assertEquals("https://example.com/pricing", page.properties().get("url").asText());
        assertEquals("Pricing", page.properties().get("name").asText());
        FakeEvent order = fake.state().events("Order Completed").get(0);
        assertEquals(99.5, order.value());
        assertEquals(sent.get(3).id(), order.uniqueId());
        assertEquals(sent.get(3).timestamp(), order.time());
        assertEquals(p.id(), order.profileId());
        assertEquals("o-1", order.properties().get("order_id").asText());
    }

    @Test
    void identifyTrackPageAndOrderCompletedEndAsOneProfileAndEachEventOnceEvenWhenReplayed() throws Exception {
        List<DestinationEvent> sent = sequence();
        assertAll(Status.DELIVERED, deliver(sent));
        assertSequenceDelivered(sent);
        RecordedRequest order = fake.requests("create_event").get(2);
        assertTrue(order.body().contains("\"value_currency\":\"USD\""), order.body());

        assertAll(Status.DELIVERED, deliver(sent));  // at-least-once: the platform may send the batch again

        assertSequenceDelivered(sent);
        assertEquals(3, fake.state().duplicateEvents(), "Klaviyo dropped the replayed events by unique_id");
    }

    @Test
    void aRateLimitStormAndAnOutageAreRetriableAndTheRetriedBatchDeliversEverythingOnce() throws Exception {
        List<DestinationEvent> sent = sequence();
        // the storm outlasts the call's 10 s of 429 waits; the outage outlasts its 3 attempts
        fake.inject(Fault.rateLimited(Duration.ofSeconds(4)).times(8).on("create_event"));
        fake.inject(Fault.status(503).times(7).on("create_or_update_profile"));
        fake.inject(Fault.status(500).times(4).on("create_event"));
        int retriable = 0;
        List<DeliveryOutcome> outcomes = null;
        for (int attempt = 0; attempt < 20 && outcomes == null; attempt++) {
            try {
                outcomes = deliver(sent);
            } catch (RetriableConnectorException e) {
                retriable++;  // the platform retries the whole batch later, as here
                assertFalse(e.getMessage().contains(fake.defaultApiKey()));
            }
        }
        assertTrue(retriable >= 3, "the faults reached the platform as retriable failures: " + retriable);
        assertAll(Status.DELIVERED, outcomes);
        assertSequenceDelivered(sent);
    }

    @Test
    void aLongRateLimitIsRetriableWithKlaviyosWait() {
        fake.inject(Fault.rateLimited(Duration.ofSeconds(60)).on("create_or_update_profile"));
        RetriableConnectorException e = assertThrows(RetriableConnectorException.class,
                () -> deliver(List.of(sequence().get(0))));
        assertTrue(e.retryAfter() != null && e.retryAfter().getSeconds() >= 60, String.valueOf(e.retryAfter()));
        assertEquals(0, fake.state().profileCount());
    }

    @Test
    void aTraitSetToNullIsClearedAndAnAbsentOneIsKept() throws Exception {
        deliver(List.of(identify(Map.of("email", EMAIL, "firstName", "Ada", "lastName", "Lovelace",
                "phone", "+442071838750", "plan", "pro", "team", "engines"))));
        Map<String, Object> second = new HashMap<>();
        second.put("lastName", null);
        second.put("phone", null);
        second.put("plan", null);
        second.put("title_at_work", "Countess");

        assertAll(Status.DELIVERED, deliver(List.of(identify(second))));

        FakeProfile p = fake.state().profileByExternalId("user-1").orElseThrow();
        assertEquals(EMAIL, p.email(), "found by external id, e-mail kept");
        assertEquals("Ada", p.attributes().get("first_name"), "absent: kept");
        assertNull(p.attributes().get("last_name"), "null: cleared");
        assertNull(p.phoneNumber(), "null: cleared");
        assertFalse(p.properties().has("plan"), "null: removed");
        assertEquals("engines", p.properties().get("team").asText(), "absent: kept");
        assertEquals("Countess", p.properties().get("title_at_work").asText());
        assertEquals(1, fake.state().profileCount());
    }

    @Test
    void aPhoneThatIsNotInternationalIsLeftOutAndLogged() throws Exception {
        TestContext ctx = context(Map.of());
        assertAll(Status.DELIVERED, deliver(ctx, List.of(identify(Map.of("email", EMAIL, "phone", "415 555 0100")))));
        assertNull(fake.state().profileByEmail(EMAIL).orElseThrow().phoneNumber());
        assertEquals(1, ctx.eventLog().named("phone not sent").size(), ctx.eventLog().dump());
    }

    @Test
    void refusedConsentIsFilteredAndMissingConsentFollowsTheSetting() throws Exception {
        DestinationEvent refused = event("track", "Order Completed", Map.of("revenue", 5), consent(false));
        DestinationEvent unknown = event("track", "Order Completed", Map.of("revenue", 6), Consent.unknown());
        DestinationEvent granted = track("Order Completed", Map.of("revenue", 7));

        List<DeliveryOutcome> byDefault = deliver(List.of(refused, unknown, granted));
        assertEquals(List.of(Status.FILTERED, Status.FILTERED, Status.DELIVERED),
                byDefault.stream().map(DeliveryOutcome::status).toList());
        assertTrue(byDefault.get(0).reason().contains("refused marketing consent"), byDefault.get(0).reason());
        assertTrue(byDefault.get(1).reason().contains("send_events_without_consent"), byDefault.get(1).reason());
        assertEquals(1, fake.requests("create_event").size(), "filtered events are never sent");

        List<DeliveryOutcome> allowed = deliver(context(Map.of("send_events_without_consent", true)),
                List.of(refused, unknown));
        assertEquals(List.of(Status.FILTERED, Status.DELIVERED), allowed.stream().map(DeliveryOutcome::status).toList());
        assertEquals(Set.of(6.0, 7.0), Set.copyOf(fake.state().events("Order Completed").stream().map(FakeEvent::value).toList()));
    }

    @Test
    void eventsThatCannotBeSentAreSettledWithoutARequest() throws Exception {
        DestinationEvent invalid = DestinationEvent.builder("msg-bad", EventType.IDENTIFY, T0).userId("user-2")
                .traits(Map.of("email", "not-an-email@")).email("not-an-email@").consent(CONSENTED).build();
        DestinationEvent anonymous = DestinationEvent.builder("msg-anon", EventType.TRACK, T0).event("Clicked")
                .anonymousId("anon-1").consent(CONSENTED).build();
        // filtered: the user refused marketing consent
        DestinationEvent group = event("track", "Clicked", Map.of(), consent(false));
        DestinationEvent good = track("Signed Up", Map.of());

        List<DeliveryOutcome> outcomes = deliver(List.of(invalid, anonymous, group, good));

        assertEquals(List.of(Status.REJECTED, Status.SKIPPED, Status.FILTERED, Status.DELIVERED),
                outcomes.stream().map(DeliveryOutcome::status).toList());
        assertTrue(outcomes.get(0).reason().contains("not an e-mail address"), outcomes.get(0).reason());
        assertTrue(outcomes.get(1).reason().contains("anonymous user anon-1"), outcomes.get(1).reason());
        assertEquals(1, fake.state().events("Signed Up").size());
        assertTrue(fake.requests("create_or_update_profile").isEmpty(), "nothing sent for the invalid e-mail");
        assertEquals(1, fake.requests("create_event").size(), "skipped and filtered events are never sent");
    }

    @Test
    void aProfileKlaviyoRefusesIsRejectedWithKlaviyosDetailAndTheOthersAreDelivered() throws Exception {
        fake.state().seedProfile(EMAIL, null, Map.of());
        fake.state().seedProfile("grace@example.com", "user-1", Map.of());
        // user-1's e-mail is now another profile's: Klaviyo refuses to merge them (409)
        List<DestinationEvent> sent = List.of(identify(Map.of("email", EMAIL, "firstName", "Ada")), DestinationEvent.builder("msg-grace", EventType.TRACK, T0)
                .event("Signed Up").userId("user-1").consent(CONSENTED).profile(Map.of("email", "grace@example.com"))
                .email("grace@example.com").build());

        List<DeliveryOutcome> outcomes = deliver(sent);

        assertEquals(Status.REJECTED, outcomes.get(0).status(), outcomes.toString());
        assertEquals(409, outcomes.get(0).httpStatus());
        assertTrue(outcomes.get(0).reason().startsWith("Klaviyo refused the profile (409 to POST /api/profile-import): "),
                outcomes.get(0).reason());
        assertFalse(outcomes.get(0).reason().contains(fake.defaultApiKey()));
        assertEquals(Status.DELIVERED, outcomes.get(1).status(), outcomes.toString());
        assertEquals(1, fake.state().events("Signed Up").size());
        assertNull(fake.state().profileByEmail(EMAIL).orElseThrow().attributes().get("first_name"), "nothing changed");
    }

    @Test
    void aKeyWithoutEventAccessRejectsTheEventsAndStillUpdatesProfiles() throws Exception {
        String key = "pk_profiles_only";
        fake.addApiKey(key, Set.of("profiles:read", "profiles:write"));
        List<DestinationEvent> sent = sequence();

        List<DeliveryOutcome> outcomes = deliver(context(key, Map.of()), sent);

        assertEquals(List.of(Status.DELIVERED, Status.REJECTED, Status.REJECTED, Status.REJECTED),
                outcomes.stream().map(DeliveryOutcome::status).toList());
        assertEquals(403, outcomes.get(1).httpStatus());
        assertTrue(outcomes.get(1).reason().contains("events:write"), outcomes.get(1).reason());
        assertEquals(1, fake.state().profileCount());
        assertTrue(fake.state().events().isEmpty());
    }

    @Test
    void aRevokedKeyFailsTheBatchForGood() {
        String key = "pk_revoked";
        fake.addApiKey(key, fake.allScopes());
        fake.removeApiKey(key);  // not the default key: the fake keeps its keys across reset()
        PermanentConnectorException e = assertThrows(PermanentConnectorException.class,
                () -> deliver(context(key, Map.of()), sequence()));
        assertEquals("unauthorized", e.code());
    }
}
