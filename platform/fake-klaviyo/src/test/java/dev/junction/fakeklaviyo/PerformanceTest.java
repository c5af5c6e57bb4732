package dev.junction.fakeklaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a 1,000,000-member benchmark costs the fake: a full 10,000-profile import job (strict validation) and,
 * with {@code -Dfakeklaviyo.large=true}, seeding a million profiles into one list. Figures go to stdout (README).
 */
class PerformanceTest extends FakeKlaviyoTestBase {

    @Test
    void a10000ProfileImportIsValidatedAndApplied() {
        String listId = createList("Perf");
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            profiles.add(JobsTest.profile("'email':'perf" + i + "@example.com','external_id':'x" + i
                    + "','first_name':'F" + i + "','properties':{'tier':'gold'}"));
        }
        String body = JobsTest.importBody(profiles, listId);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            Client.Response r = client.post("/api/profile-bulk-import-jobs", body);
            best = Math.min(best, System.nanoTime() - start);
            assertEquals(202, r.status(), r.toString());
        }
        fake.awaitJobs();
        assertEquals(10_000, fake.state().listMembers(listId).size());
        assertEquals(10_000, fake.state().profileCount());
        System.out.printf("10,000-profile import job (%d bytes), strict: best round trip %d ms%n", body.length(),
                best / 1_000_000);
        assertTrue(best < 10_000_000_000L, "a job request must not take 10 s");
        fake.assertNoViolations();
    }

    @Test
    void aMillionProfilesInOneList() {
        if (!Boolean.getBoolean("fakeklaviyo.large")) {
            return;
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long start = System.nanoTime();
        List<String> ids = fake.state().seedProfiles(1_000_000);
        String listId = fake.state().createList("Million").id();
        fake.state().addToList(listId, ids);
        long seeded = System.nanoTime() - start;
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        start = System.nanoTime();
        int pages = 0;
        String next = "/api/lists/" + listId + "/relationships/profiles?page%5Bsize%5D=100";
        while (next != null && pages < 200) {
            var doc = client.get(next).json();
            var link = doc.path("links").path("next");
            next = link.isTextual() ? link.asText().substring(fake.baseUrl().length()) : null;
            pages++;
        }
        long paging = System.nanoTime() - start;
        System.out.printf("1,000,000 profiles + list: seeded in %d ms, heap %d MB; 200 member pages in %d ms%n",
                seeded / 1_000_000, (after - before) >> 20, paging / 1_000_000);
        assertEquals(1_000_000, fake.state().listMembers(listId).size());
    }
}
