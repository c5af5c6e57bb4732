package dev.junction.platform.support.contract;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test whose HTTP exchanges disagree with ui-contract/openapi.yaml, naming each exchange
 * (method, path, status) and the validator's message. Registered for every test class of the
 * module through JUnit's extension auto-detection (src/test/resources/junit-platform.properties and
 * META-INF/services), so no test can forget it.
 */
public final class ContractExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        ContractRecorder.drain(); // a previous class's background calls are not this class's fault
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnViolations(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnViolations(context.getDisplayName());
    }

    /** Throws an AssertionError listing the violations recorded since the last check, if any. */
    public static void failOnViolations(String testName) {
        List<String> violations = ContractRecorder.drain();
        if (violations.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder(testName).append(": ").append(violations.size())
                .append(" exchange(s) disagree with ui-contract/openapi.yaml (fix the server or the contract; ")
                .append("ui-contract/README.md):");
        violations.stream().limit(50).forEach(v -> b.append("\n  - ").append(v));
        if (violations.size() > 50) {
            b.append("\n  ... and ").append(violations.size() - 50).append(" more");
        }
        throw new AssertionError(b.toString());
    }
}
