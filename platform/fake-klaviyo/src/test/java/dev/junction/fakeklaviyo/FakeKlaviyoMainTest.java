package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The benchmark process's options. */
class FakeKlaviyoMainTest {

    @Test
    void optionsConfigureKeyScopesLimitsAndSeed() {
        try (FakeKlaviyo fake = FakeKlaviyoMain.start(new String[] {"--port", "0", "--api-key", "pk_bench",
            "--scopes", "accounts:read,lists:read", "--rate-limits", "SCALED(2)", "--seed-profiles", "25",
            "--seed-list", "Bench"})) {
            assertEquals(25, fake.state().profileCount());
            FakeList list = fake.state().lists().get(0);
            assertEquals("Bench", list.name());
            assertEquals(25, list.memberCount());
            Client bench = new Client(fake.baseUrl(), "pk_bench");
            Client.Response accounts = bench.get("/api/accounts");
            assertEquals(200, accounts.status());
            assertEquals("30", accounts.header("RateLimit-Limit"), "steady 15/m scaled by 2");
            assertEquals(403, bench.get("/api/profiles").status());
        }
        assertThrows(IllegalArgumentException.class, () -> FakeKlaviyoMain.start(new String[] {"--nope", "1"}));
    }
}
