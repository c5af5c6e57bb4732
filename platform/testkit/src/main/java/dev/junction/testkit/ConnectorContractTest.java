package dev.junction.testkit;

import dev.junction.runtime.CapabilityTypes;
import dev.junction.runtime.http.PolicyHttpClient;
import dev.junction.runtime.http.Sleeper;
import dev.junction.runtime.schema.ConfigSchema;
import dev.junction.spi.CatalogStatus;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.SpiVersion;
import dev.junction.spi.objects.ObjectSync;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules the platform applies when it loads a plugin, as a test: extend it in your plugin's
 * tests so a broken descriptor fails your build instead of disabling your connector at load time.
 * <pre>{@code
 * class SendGridContractTest extends ConnectorContractTest {
 *     protected Connector connector() { return new SendGridConnector(); }
 *     protected List<ConnectorCapability> capabilities() { return List.of(new SendGridEventSource()); }
 * }
 * }</pre>
 */
public abstract class ConnectorContractTest {

    /** A new instance of the plugin's {@link Connector} extension. */
    protected abstract Connector connector();

    /** New instances of every capability extension (every {@code @Extension} other than the Connector). */
    protected abstract List<ConnectorCapability> capabilities();

    @Test
    void descriptorIsComplete() {
        ConnectorDescriptor d = connector().descriptor();
        assertTrue(ConnectorDescriptor.SLUG.matcher(d.slug()).matches(), "slug " + d.slug());
        assertFalse(d.name().isBlank(), "name");
        assertFalse(d.category().isBlank(), "category");
        assertFalse(d.description().isBlank(), "description");
        assertEquals(d, connector().descriptor(), "the descriptor is a pure function");
        if (d.status() != CatalogStatus.PLACEHOLDER) {
            assertFalse(d.allowedHosts().isEmpty(), "a working connector names the hosts it calls");
        }
    }

    @Test
    void builtAgainstACompatibleSpi() {
        assertNull(SpiVersion.incompatibility(connector().descriptor().spiVersion()));
    }

    @Test
    void configSchemaFollowsThePlatformRules() {
        ConfigSchema schema = ConfigSchema.parse(connector().descriptor().configSchema());
        assertNotNull(schema.secretFields());
    }

    @Test
    void capabilityExtensionsEachProvideACapabilityOnce() {
        // the platform derives the capabilities from the extensions and refuses the plugin otherwise
        assertDoesNotThrow(() -> CapabilityTypes.index(capabilities()),
                "every extension implements a capability interface, and no capability twice");
    }

    @Test
    void allowedHostsAreHostNamesOrDomainWildcards() {
        ConnectorDescriptor d = connector().descriptor();
        assertDoesNotThrow(() -> new PolicyHttpClient(PolicyHttpClient.defaultJdkClient(), d.allowedHosts(),
                d.requestsPerSecond(), Clock.systemUTC(), Sleeper.SYSTEM, attempt -> { }),
                "allowed hosts are host names or *.<domain> with at least two labels: " + d.allowedHosts());
    }

    @Test
    void objectSyncCollectionsFollowThePlatformRules() {
        for (ConnectorCapability c : capabilities()) {
            if (c instanceof ObjectSync sync) {
                assertFalse(sync.collections().isEmpty(), "an object sync declares its collections");
                assertEquals(sync.collections(), sync.collections(), "collections() is a pure function");
                assertDoesNotThrow(() -> RecordingRecordSink.of(sync.collections()),
                        "collection and column names, and no column named like the platform's own");
            }
        }
    }

    @Test
    void extensionsAreAnnotated() {
        assertNotNull(connector().getClass().getAnnotation(Extension.class), "the Connector needs @Extension");
        for (ConnectorCapability c : capabilities()) {
            assertNotNull(c.getClass().getAnnotation(Extension.class), c.getClass() + " needs @Extension");
        }
    }
}
