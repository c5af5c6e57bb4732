package dev.junction.fakeklaviyo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The fake as a process, for benchmarks.
 *
 * <pre>
 * --port N               (default 9191)            --host H (default 127.0.0.1)
 * --api-key KEY          an extra key (default: only the all-scopes default key)
 * --scopes a:read,b:write  scopes of --api-key (default: all)
 * --rate-limits MODE     OFF | PUBLISHED | SCALED(f)  (default PUBLISHED)
 * --validation MODE      STRICT | REPORT | OFF (default STRICT)
 * --seed-profiles N      seed N profiles user&lt;i&gt;@example.com
 * --seed-list NAME       create a list (with the seeded profiles as members)
 * --job-queued-ms N      (50)   --job-ms-per-1000 N (20)
 * --spec-dir DIR         Klaviyo's OpenAPI files (default: the copies bundled in this module)
 * </pre>
 */
public final class FakeKlaviyoMain {
    private FakeKlaviyoMain() {
    }

    /**
     * Starts the fake and serves until the process is stopped.
     *
     * @param args see the class comment
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        FakeKlaviyo fake = start(args);
        Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
        Thread.currentThread().join();
    }

    /**
     * Starts, seeds and announces a fake as {@link #main} does, without waiting.
     *
     * @param args see the class comment
     * @return the running fake
     */
    static FakeKlaviyo start(String[] args) {
        FakeKlaviyo.Builder b = FakeKlaviyo.builder().port(9191).rateLimits(RateLimitMode.PUBLISHED);
        String apiKey = null;
        Set<String> scopes = null;
        int seed = 0;
        String seedList = null;
        long queued = 50;
        long perThousand = 20;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> b.port(Integer.parseInt(value));
                case "--host" -> b.host(value);
                case "--api-key" -> apiKey = value;
                case "--scopes" -> scopes = new LinkedHashSet<>(Arrays.asList(value.split(",")));
                case "--rate-limits" -> b.rateLimits(RateLimitMode.parse(value));
                case "--validation" -> b.validation(ValidationMode.valueOf(value.toUpperCase(java.util.Locale.ROOT)));
                case "--seed-profiles" -> seed = Integer.parseInt(value);
                case "--seed-list" -> seedList = value;
                case "--job-queued-ms" -> queued = Long.parseLong(value);
                case "--job-ms-per-1000" -> perThousand = Long.parseLong(value);
                case "--spec-dir" -> b.specDir(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see FakeKlaviyoMain)");
            }
            i++;
        }
        b.jobTiming(Duration.ofMillis(queued), Duration.ofMillis(perThousand));
        FakeKlaviyo fake = b.start();
        if (apiKey != null) {
            fake.addApiKey(apiKey, scopes == null ? fake.allScopes() : scopes);
        }
        var ids = fake.state().seedProfiles(seed);
        if (seedList != null) {
            String listId = fake.state().createList(seedList).id();
            fake.state().addToList(listId, ids);
            System.out.println("Seeded list " + listId + " with " + ids.size() + " members");
        }
        System.out.println("FakeKlaviyo listening on " + fake.baseUrl() + " (revision " + FakeKlaviyo.revision()
                + ", validation " + b.validationMode() + ", rate limits " + b.rateLimitMode() + ")");
        System.out.println("Default API key: " + fake.defaultApiKey());
        System.out.println("Spec: " + fake.specDir());
        return fake;
    }
}
