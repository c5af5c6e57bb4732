package dev.junction.platform.delivery;

import dev.junction.platform.profile.Profile;
import dev.junction.spi.destination.Consent;
import dev.junction.spi.destination.DestinationEvent;
import dev.junction.spi.destination.EventType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Segment's vocabulary read into the SPI's neutral event: what plugins used to parse themselves. */
class SegmentDestinationEventsTest {

    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void theEmailComesFromTheEventThenTheProfileThenTheContextTraits() {
        Map<String, Object> contextTraits = Map.of("traits", Map.of("email", " carol@example.com "));
        assertEquals("ada@example.com", SegmentDestinationEvents.email(Map.of("email", "ada@example.com"),
                Map.of("email", "bob@example.com"), contextTraits));
        assertEquals("bob@example.com", SegmentDestinationEvents.email(Map.of("email", "  "),
                Map.of("email", "bob@example.com"), contextTraits));
        assertEquals("carol@example.com", SegmentDestinationEvents.email(Map.of(), Map.of("email", 7), contextTraits),
                "trimmed; a value that is not a string is no e-mail");
        assertNull(SegmentDestinationEvents.email(Map.of(), Map.of(), Map.of()));
    }

    @Test
    void consentIsReadFromCategoryPreferencesAndOnlyBooleansCount() {
        Consent c = SegmentDestinationEvents.consent(Map.of("consent", Map.of("categoryPreferences",
                Map.of("marketing", false, "analytics", true, "ads", "yes"))));
        assertEquals(Optional.of(false), c.granted(Consent.MARKETING));
        assertEquals(Optional.of(true), c.granted("analytics"));
        assertEquals(Optional.empty(), c.granted("ads"));
        assertEquals(Consent.unknown(), SegmentDestinationEvents.consent(Map.of("consent", "all")));
    }

    @Test
    void anEventCarriesTraitsOnlyForIdentifyAndTheProfilesComputedTraits() {
        Profile profile = new Profile("u-1", Map.of("email", "ada@example.com", "name", "Ada"), new BigDecimal("12.50"), 2,
                T0, T0, T0);
        Map<String, Object> message = Map.of("traits", Map.of("plan", "pro"), "properties", Map.of("revenue", 5),
                "context", Map.of("consent", Map.of("categoryPreferences", Map.of("marketing", true))));

        DestinationEvent track = SegmentDestinationEvents.of("m-1", "track", "Order Completed", "u-1", null, T0, message, profile);
        assertEquals(EventType.TRACK, track.type());
        assertEquals(Map.of(), track.traits());
        assertEquals(Map.of("revenue", 5), track.properties());
        assertEquals("ada@example.com", track.email());
        assertEquals(Optional.of(true), track.consent().granted(Consent.MARKETING));
        assertEquals(new BigDecimal("12.50"), track.computedTraits().get("lifetime_value"));

        DestinationEvent identify = SegmentDestinationEvents.of("m-2", "identify", null, "u-1", null, T0, message, null);
        assertEquals(Map.of("plan", "pro"), identify.traits());
        assertEquals(Map.of(), identify.properties());
        assertNull(identify.email());
        assertEquals(Map.of(), identify.computedTraits());
    }
}
