package dev.junction.fakesendgrid;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** One fake per test class, reset before each test, with a client holding the default key. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FakeSendGridTestBase {
    FakeSendGrid fake;
    Client client;

    /** The fake this class tests; override to change delays. */
    FakeSendGridBuilder configure(FakeSendGridBuilder builder) {
        return builder;
    }

    @BeforeAll
    void start() {
        fake = configure(FakeSendGrid.builder()).start();
    }

    @AfterAll
    void stop() {
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
        client = new Client(fake);
    }
}
