package dev.junction.fakesendgrid;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the fake as a separate process, for benchmarks:
 * {@code java -cp ... dev.junction.fakesendgrid.FakeSendGridMain --port 9090 [--host 127.0.0.1]
 * [--no-validation] [--import-delay-ms N] [--export-delay-ms N] [--api-key KEY]}.
 *
 * <p>Prints the base URL and the default API key, then serves until the process is stopped.
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
    FakeSendGrid.Builder builder = FakeSendGrid.builder().port(9090).recordBodyLimit(64 * 1024).maxRecordedRequests(10_000);
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
        case "-h", "--help" -> {
          System.out.println("usage: FakeSendGridMain [--port 9090] [--host 127.0.0.1] [--no-validation | --report-only]"
              + " [--import-delay-ms 100] [--export-delay-ms 200] [--api-key KEY] [--record-body-limit BYTES]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
      }
    }
    FakeSendGrid fake = builder.start();
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

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
