package dev.junction.plugins.klaviyo;

import dev.junction.fakeklaviyo.FakeKlaviyo;
import dev.junction.fakeklaviyo.ValidationMode;
import dev.junction.testkit.InMemoryStateStore;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tests against one fake Klaviyo per class with strict validation against Klaviyo's OpenAPI files:
 * every request the connector makes must match the spec, checked after every test. Each test starts
 * with an empty account and the empty state of one installation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgainstFakeKlaviyo {

    FakeKlaviyo fake;
    InMemoryStateStore state;

    @BeforeAll
    void startFake() {
        fake = FakeKlaviyo.builder().validation(ValidationMode.STRICT)
                .jobTiming(Duration.ofMillis(5), Duration.ofMillis(5)).start();
    }

    @AfterAll
    void stopFake() {
        fake.close();
    }

    @BeforeEach
    void resetFake() {
        fake.reset();
        fake.validation(ValidationMode.STRICT);
        state = new InMemoryStateStore();
    }

    @AfterEach
    void noSpecViolations() {
        fake.assertNoViolations();
    }

    TestContext context(String key, Map<String, ?> config) {
        Map<String, Object> all = new LinkedHashMap<>(config);
        all.put("api_key", key);
        return TestContext.builder(new KlaviyoConnector().descriptor())
                .config(all)
                .platformSetting("api_url", fake.baseUrl())
                .state(state)
                .sleeper(d -> { })  // 429 waits and backoff return at once
                .build();
    }

    TestContext context(Map<String, ?> config) {
        return context(fake.defaultApiKey(), config);
    }
}
