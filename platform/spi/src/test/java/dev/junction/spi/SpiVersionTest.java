package dev.junction.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpiVersionTest {

    @Test
    void sameMajorAndOlderOrEqualMinorIsCompatible() {
        assertNull(SpiVersion.incompatibility(SpiVersion.CURRENT));
        assertNull(SpiVersion.incompatibility("1.0.7"));
    }

    @Test
    void currentIsTheGeneratedReleaseVersion() {
        // generated from the pom's junction.spi.version: a release, never a template left unfilled
        assertTrue(SpiVersion.CURRENT.matches("\\d+\\.\\d+\\.\\d+"), SpiVersion.CURRENT);
    }

    @Test
    void otherMajorsNewerMinorsAndGarbageAreNot() {
        assertTrue(SpiVersion.incompatibility("2.0.0").contains("major versions differ"));
        assertTrue(SpiVersion.incompatibility("0.9.0").contains("major versions differ"));
        assertTrue(SpiVersion.incompatibility("1.1.0").contains("newer"));
        assertNotNull(SpiVersion.incompatibility("one"));
        assertNotNull(SpiVersion.incompatibility(null));
    }

    @Test
    void descriptorsCheckWhatTheyCan() {
        assertThrows(IllegalArgumentException.class, () -> ConnectorDescriptor.builder("Bad_Slug", SpiVersion.CURRENT).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectorDescriptor.builder("with_underscore", SpiVersion.CURRENT).build());
        ConnectorDescriptor d = ConnectorDescriptor.builder("acme-mail", SpiVersion.CURRENT).build();
        assertTrue(d.variants().stream().anyMatch(v -> v.key().equals(Variant.DEFAULT)), "default variant added");
        assertTrue(d.deliveryModes().contains(DeliveryMode.SERVER_SIDE));
        assertTrue(d.configSchema().contains("properties"), "the default schema is one the platform accepts");
    }
}
