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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /**
     * The plugin's id ({@code plugin.id}), which the platform requires to equal the descriptor's
     * slug. By default: {@code plugin.properties} on the test class path, else
     * {@code target/plugin/plugin.properties}, else the {@code <plugin.id>} property of the
     * module's {@code pom.xml} (the project's plugin build writes {@code plugin.properties} from it
     * after the tests). Override it when the build keeps the id elsewhere (a manifest's
     * {@code Plugin-Id}, a Gradle property).
     */
    protected Optional<String> pluginId() {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("plugin.properties")) {
            if (in != null) {
                return idFrom(in);
            }
            Path built = Path.of("target", "plugin", "plugin.properties");
            if (Files.isRegularFile(built)) {
                try (InputStream file = Files.newInputStream(built)) {
                    return idFrom(file);
                }
            }
            Path pom = Path.of("pom.xml");
            if (Files.isRegularFile(pom)) {
                Matcher m = Pattern.compile("<plugin\\.id>\\s*([^<\\s]+)\\s*</plugin\\.id>").matcher(Files.readString(pom));
                return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> idFrom(InputStream properties) throws IOException {
        Properties p = new Properties();
        p.load(properties);
        return Optional.ofNullable(p.getProperty("plugin.id")).map(String::strip).filter(id -> !id.isEmpty());
    }

    @Test
    void pluginIdIsTheSlug() {
        String slug = connector().descriptor().slug();
        String id = pluginId().orElseThrow(() -> new AssertionError("no plugin.id found (plugin.properties, "
                + "target/plugin/plugin.properties or <plugin.id> in pom.xml): override pluginId()"));
        assertEquals(slug, id, "plugin.id must equal the descriptor's slug, or the platform refuses the plugin");
    }

    @Test
    void extensionsIndexListsEveryExtension() {
        List<String> index = extensionsIndex(connector().getClass());
        assertTrue(index.contains(connector().getClass().getName()), "META-INF/extensions.idx lists the Connector "
                + connector().getClass().getName() + " (is PF4J's annotation processor on the compiler's path?): " + index);
        for (ConnectorCapability c : capabilities()) {
            assertTrue(index.contains(c.getClass().getName()),
                    "META-INF/extensions.idx lists " + c.getClass().getName() + ": " + index);
        }
    }

    /** The class names in the {@code META-INF/extensions.idx} next to this class (its jar or classes directory). */
    private static List<String> extensionsIndex(Class<?> type) {
        try {
            String home = type.getProtectionDomain().getCodeSource().getLocation().toString();
            for (URL url : Collections.list(type.getClassLoader().getResources("META-INF/extensions.idx"))) {
                if (url.toString().contains(home)) {
                    try (InputStream in = url.openStream()) {
                        List<String> names = new ArrayList<>();
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                            if (!line.isBlank() && !line.strip().startsWith("#")) {
                                names.add(line.strip());
                            }
                        }
                        return names;
                    }
                }
            }
            throw new AssertionError("no META-INF/extensions.idx next to " + type.getName() + " (" + home + "): add "
                    + "org.pf4j:pf4j to the compiler's annotationProcessorPaths");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
