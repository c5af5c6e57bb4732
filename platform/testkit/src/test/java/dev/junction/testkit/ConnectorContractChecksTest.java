package dev.junction.testkit;

import dev.junction.spi.CheckResult;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorCapability;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract test's plugin-id and extensions-index checks fail where the platform would refuse the plugin. */
class ConnectorContractChecksTest {

    static final class ExampleConnector implements Connector {
        @Override
        public ConnectorDescriptor descriptor() {
            return TestContextTimeTest.descriptor("api.example.com");
        }

        @Override
        public CheckResult check(ConnectorContext context) {
            throw new UnsupportedOperationException();
        }
    }

    /** The contract test of a plugin whose id is {@code id}. */
    private static ConnectorContractTest contractFor(String id) {
        return new ConnectorContractTest() {
            @Override
            protected Connector connector() {
                return new ExampleConnector();
            }

            @Override
            protected List<ConnectorCapability> capabilities() {
                return List.of(new CohortSyncExampleTest.ExampleCohortSync(d -> { }));
            }

            @Override
            protected Optional<String> pluginId() {
                return Optional.ofNullable(id);
            }
        };
    }

    @Test
    void pluginIdMustBeTheSlug() {
        assertDoesNotThrow(() -> contractFor("example").pluginIdIsTheSlug());
        AssertionError other = assertThrows(AssertionError.class, () -> contractFor("examples").pluginIdIsTheSlug());
        assertTrue(other.getMessage().contains("slug"), other.getMessage());
        assertThrows(AssertionError.class, () -> contractFor(null).pluginIdIsTheSlug());
    }

    @Test
    void aMissingExtensionsIndexFails() {
        // this module's tests are compiled without PF4J's annotation processor: no META-INF/extensions.idx
        AssertionError missing = assertThrows(AssertionError.class,
                () -> contractFor("example").extensionsIndexListsEveryExtension());
        assertTrue(missing.getMessage().contains("extensions.idx"), missing.getMessage());
    }
}
