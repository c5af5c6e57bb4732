package dev.junction.plugins.sendgrid;

import dev.junction.fakesendgrid.ContactSeed;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.fakesendgrid.ValidationMode;
import dev.junction.spi.objects.RecordSink;
import dev.junction.testkit.RecordingRecordSink;
import dev.junction.testkit.TestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.junction.plugins.sendgrid.SendGridCollections.CONTACTS;
import static dev.junction.plugins.sendgrid.SendGridCollections.LIST_MEMBERSHIPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pass holds nothing per contact: 200,000 contacts streamed from the fake's export into a
 * counting sink, with the used heap (after GC) sampled every 50,000 contacts. The fake shares the
 * JVM, but its contacts are seeded before the first sample, so growth between samples is the pass's.
 * Skip with {@code -Dsendgrid.large=false}. The export files' format is the fake's guess G11.
 */
@DisabledIfSystemProperty(named = "sendgrid.large", matches = "false")
class SendGridObjectSyncMemoryTest {

    private static final int CONTACTS_SEEDED = 200_000;
    private static final int SAMPLE_EVERY = 50_000;
    /** Far below what keeping even an id per contact would take (150,000 ids: about 18 MB). */
    private static final long MAX_GROWTH = 8L * 1024 * 1024;

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void twoHundredThousandContactsStreamThroughWithoutPerContactState() throws Exception {
        try (FakeSendGrid fake = FakeSendGrid.builder().validation(ValidationMode.STRICT)
                .exportDelay(Duration.ofMillis(10)).start()) {
            long t0 = System.nanoTime();
            String all = fake.createList("all").id();
            String some = fake.createList("some").id();
            fake.seedContacts(() -> IntStream.range(0, CONTACTS_SEEDED).mapToObj(i -> ContactSeed.of(
                    "member-" + i + "@example.com").with("first_name", "First" + i).with("last_name", "Last" + i)
                    .with("city", "Berlin").inLists(i % 4 == 0 ? new String[]{all, some} : new String[]{all})).iterator());
            long seededMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();

            RecordingRecordSink counting = RecordingRecordSink.counting(new SendGridObjectSync().collections());
            List<Long> samples = new ArrayList<>();
            RecordSink sampling = new HookedSink(counting, (call, collection) -> {
                if (call.equals("upsert") && collection.equals(CONTACTS) && counting.upserts(CONTACTS) % SAMPLE_EVERY == 0) {
                    samples.add(usedHeapAfterGc());
                }
            });
            TestContext ctx = TestContext.builder(new SendGridConnector().descriptor())
                    .config(Map.of("api_key", fake.defaultApiKey())).platformSetting("api_url", fake.baseUrl()).build();
            long before = usedHeapAfterGc();
            long t1 = System.nanoTime();
            new SendGridObjectSync(d -> Thread.sleep(Math.min(d.toMillis(), 20)), ObjectPass.LIST_PAGE_SIZE)
                    .sync(ctx, sampling);
            long passMs = Duration.ofNanos(System.nanoTime() - t1).toMillis();
            long after = usedHeapAfterGc();

            assertEquals(CONTACTS_SEEDED, counting.upserts(CONTACTS));
            assertEquals(CONTACTS_SEEDED + CONTACTS_SEEDED / 4, counting.upserts(LIST_MEMBERSHIPS));
            assertTrue(counting.isCompleted(CONTACTS) && counting.isCompleted(LIST_MEMBERSHIPS));
            long growth = samples.get(samples.size() - 1) - samples.get(0);
            System.out.printf("seeded %,d contacts in %,d ms; pass (export, %,d contacts, %,d memberships from 2 list "
                            + "exports) in %,d ms; used heap after GC: before %,d, at every %,d contacts %s, after %,d; "
                            + "growth from the first to the last sample %+,d bytes%n",
                    CONTACTS_SEEDED, seededMs, counting.upserts(CONTACTS), counting.upserts(LIST_MEMBERSHIPS), passMs,
                    before, SAMPLE_EVERY, samples, after, growth);
            assertEquals(CONTACTS_SEEDED / SAMPLE_EVERY, samples.size());
            assertTrue(growth < MAX_GROWTH, "the heap grew by " + growth + " bytes over 150,000 contacts");
            fake.assertNoViolations();
        }
    }
}
