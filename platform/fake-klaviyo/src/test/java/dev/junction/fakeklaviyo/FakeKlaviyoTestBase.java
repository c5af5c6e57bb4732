package dev.junction.fakeklaviyo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One fake per test class, reset before each test; a client with the all-scopes key. */
abstract class FakeKlaviyoTestBase {
    static FakeKlaviyo fake;
    Client client;

    @BeforeAll
    static void startFake() {
        fake = FakeKlaviyo.start();
    }

    @AfterAll
    static void stopFake() {
        fake.close();
    }

    @BeforeEach
    void resetFake() {
        fake.reset();
        fake.validation(ValidationMode.STRICT);
        fake.rateLimits(RateLimitMode.OFF);
        fake.jobTiming(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(20));
        client = new Client(fake.baseUrl(), fake.defaultApiKey());
    }

    static String listBody(String name) {
        return Client.json("{'data':{'type':'list','attributes':{'name':'" + name + "'}}}");
    }

    /** Creates a list through the API and answers its id. */
    String createList(String name) {
        Client.Response r = client.post("/api/lists", listBody(name));
        if (r.status() != 201) {
            throw new AssertionError(r.toString());
        }
        return r.json().path("data").path("id").asText();
    }
}
