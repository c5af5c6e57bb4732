package dev.junction.plugins.sendgrid;

import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.Permission;
import dev.junction.fakesendgrid.ValidationMode;
import dev.junction.testkit.InMemoryStateStore;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tests of a capability against one fake SendGrid per class in strict OpenAPI mode: every request
 * the connector makes must match SendGrid's published spec, checked after every test. Each test
 * starts with an empty account and the empty state of one installation, which the contexts of the
 * test share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgainstFakeSendGrid {

    static final String KEY = FakeSendGrid.DEFAULT_API_KEY;

    FakeSendGrid fake;
    InMemoryStateStore state;

    @BeforeAll
    void startFake() {
        fake = FakeSendGrid.builder().validation(ValidationMode.STRICT).importDelay(Duration.ofMillis(20)).start();
    }

    @AfterAll
    void stopFake() {
        fake.close();
    }

    @BeforeEach
    void resetFake() {
        fake.reset();
        fake.setValidationMode(ValidationMode.STRICT);
        state = new InMemoryStateStore();
    }

    @AfterEach
    void noSpecViolations() {
        fake.assertNoViolations();
    }

    /** A call's context for the installation: this key and config, SendGrid at {@code apiUrl}. */
    TestContext context(String key, String apiUrl, Map<String, ?> config) {
        Map<String, Object> all = new LinkedHashMap<>(config);
        all.put("api_key", key);
        return TestContext.builder(new SendGridConnector().descriptor())
                .config(all)
                .platformSetting("api_url", apiUrl)
                .state(state)
                .sleeper(d -> { })  // 429 waits and backoff return at once
                .build();
    }

    /** Full Marketing access but for the given permissions: a key set up apart from scope names. */
    static Set<Permission> allBut(Permission... denied) {
        Set<Permission> out = new HashSet<>(Permission.all());
        out.removeAll(Set.of(denied));
        return Set.copyOf(out);
    }
}
