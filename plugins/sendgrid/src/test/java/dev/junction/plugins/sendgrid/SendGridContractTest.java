package dev.junction.plugins.sendgrid;

import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorCapability;
import dev.junction.testkit.ConnectorContractTest;

import java.util.List;

class SendGridContractTest extends ConnectorContractTest {
    @Override
    protected Connector connector() {
        return new SendGridConnector();
    }

    @Override
    protected List<ConnectorCapability> capabilities() {
        return List.of(new SendGridEventSource(), new SendGridCohortSync(), new SendGridEventDestination(), new SendGridObjectSync());
    }
}
