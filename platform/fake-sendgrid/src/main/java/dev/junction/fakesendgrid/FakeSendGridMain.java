package dev.junction.fakesendgrid;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the fake as a separate process, for benchmarks:
 * {@code java -cp ... dev.junction.fakesendgrid.FakeSendGridMain --port 9090 [--host 127.0.0.1]
 * [--no-validation] [--import-delay-ms N] [--export-delay-ms N] [--api-key KEY]
 * [--seed-contacts N [--seed-lists K]]}.
 *
 * <p>With {@code --seed-contacts}, the fake starts with N generated contacts ({@code contact-<i>@bench.example},
 * names, city, phone, external id and two custom fields), spread over K lists (default 10). It prints the
 * base URL and the default API key only once seeding is done (callers wait for that line), then serves
 * until the process is stopped.
 */
public final class FakeSendGridMain {
    private FakeSendGridMain() {}

    /**
     * Starts the fake and blocks until the JVM shuts down.
     *
     * @param args command-line options, see the class comment
     * @throws InterruptedException when interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        FakeSendGridBuilder builder = FakeSendGrid.builder().port(9090).recordBodyLimit(64 * 1024).maxRecordedRequests(10_000);
        int seedContacts = 0;
        int seedLists = 10;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> builder.port(Integer.parseInt(value(args, ++i, a)));
                case "--host" -> builder.host(value(args, ++i, a));
                case "--no-validation" -> builder.validation(ValidationMode.OFF);
                case "--report-only" -> builder.validation(ValidationMode.REPORT);
                case "--import-delay-ms" -> builder.importDelay(Duration.ofMillis(Long.parseLong(value(args, ++i, a))));
                case "--export-delay-ms" -> builder.exportDelay(Duration.ofMillis(Long.parseLong(value(args, ++i, a))));
                case "--api-key" -> builder.defaultApiKey(value(args, ++i, a));
                case "--record-body-limit" -> builder.recordBodyLimit(Integer.parseInt(value(args, ++i, a)));
                case "--seed-contacts" -> seedContacts = Integer.parseInt(value(args, ++i, a));
                case "--seed-lists" -> seedLists = Integer.parseInt(value(args, ++i, a));
                case "-h", "--help" -> {
                    System.out.println("usage: FakeSendGridMain [--port 9090] [--host 127.0.0.1] [--no-validation | --report-only]"
                            + " [--import-delay-ms 100] [--export-delay-ms 200] [--api-key KEY] [--record-body-limit BYTES]"
                            + " [--seed-contacts N [--seed-lists 10]]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        FakeSendGrid fake = builder.start();
        if (seedContacts > 0) {
            seed(fake, seedContacts, Math.max(1, seedLists));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            stopped.countDown();
        }, "fake-sendgrid-shutdown"));
        System.out.println("FakeSendGrid listening on " + fake.baseUrl() + " (validation " + fake.validationMode() + ")");
        System.out.println("Default API key: " + fake.defaultApiKey());
        System.out.flush();
        stopped.await();
    }

    /** N generated contacts, contact i in list i mod K, generated lazily (a million fits the fake's heap, not twice). */
    private static void seed(FakeSendGrid fake, int contacts, int lists) {
        long t0 = System.nanoTime();
        String[] listIds = new String[lists];
        for (int l = 0; l < lists; l++) {
            listIds[l] = fake.createList("Seeded list " + (l + 1)).id();
        }
        fake.addCustomField("plan", FieldType.TEXT);
        fake.addCustomField("lifetime_value", FieldType.NUMBER);
        Iterable<ContactSeed> seeds = () -> java.util.stream.IntStream.range(0, contacts).mapToObj(n -> new ContactSeed(
                "contact-" + n + "@bench.example", java.util.Map.of(
                        "first_name", "First" + n, "last_name", "Last" + n, "city", "City " + (n % 997),
                        "phone_number", "+1555" + String.format("%07d", n % 10_000_000), "external_id", "ext-" + n,
                        "plan", n % 3 == 0 ? "pro" : "free", "lifetime_value", n % 1000),
                java.util.Set.of(listIds[n % lists]))).iterator();
        int stored = fake.seedContacts(seeds);
        System.out.printf("Seeded %,d contacts in %d lists in %.1f s%n", stored, lists, (System.nanoTime() - t0) / 1e9);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
