package dev.junction.fakesendgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Measures the figures the README reports: a 30,000-contact upsert with validation off and strict.
 * The bounds are loose so that a slow CI machine does not fail them.
 */
class PerformanceTest {
    @Test
    void aThirtyThousandContactUpsertIsAcceptedQuickly() {
        String body = Client.contactsBody(30_000, null);
        try (FakeSendGrid fake = FakeSendGrid.builder().importDelay(Duration.ZERO).recordBodyLimit(0).start()) {
            Client client = new Client(fake);
            long[][] roundTrip = new long[2][8];
            long[][] server = new long[2][8];
            for (int i = -3; i < 8; i++) { // three warm-up rounds, then eight measured, modes alternating
                for (int m = 0; m < 2; m++) {
                    fake.setValidationMode(m == 0 ? ValidationMode.OFF : ValidationMode.STRICT);
                    fake.clearRequests();
                    long t0 = System.nanoTime();
                    assertEquals(202, client.put("/v3/marketing/contacts", body).status());
                    long rt = (System.nanoTime() - t0) / 1_000_000;
                    if (i >= 0) {
                        roundTrip[m][i] = rt;
                        server[m][i] = fake.requests().get(0).duration().toMillis();
                    }
                }
            }
            fake.awaitJobs();
            assertEquals(30_000, fake.contactCount());
            for (int m = 0; m < 2; m++) {
                Arrays.sort(roundTrip[m]);
                Arrays.sort(server[m]);
                System.out.printf("30k-contact PUT (%,d bytes), validation %s: median round trip %d ms (min %d), median"
                        + " server-side %d ms%n", body.length(), m == 0 ? "OFF" : "STRICT", roundTrip[m][4], roundTrip[m][0], server[m][4]);
            }
            assertTrue(roundTrip[0][4] < 1_000, "validation off: " + roundTrip[0][4] + " ms");
            assertTrue(roundTrip[1][4] < 3_000, "strict: " + roundTrip[1][4] + " ms");
        }
    }
}
