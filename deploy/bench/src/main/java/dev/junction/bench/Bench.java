package dev.junction.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Benchmarks of Junction, each one command printing figures (see deploy/bench/README.md):
 * {@code webhook-ingest}, {@code cohort-sync}, {@code object-sync}.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: run.sh webhook-ingest [--seconds N] [--concurrency 1,4,16] [--sse-clients N] [--events-table keep|drop]");
            System.err.println("       run.sh cohort-sync [--members 1000000] [--change-percent 1] [--server-heap 256m]");
            System.err.println("       run.sh live-tail [--clients 100] [--seconds 20] [--client socket|jdk]");
            System.err.println("       run.sh delivery [--seconds 20] [--replicas 1,2] [--workers 2] [--senders 4] [--latency-rate 1000]");
            System.err.println("       run.sh event-query [--events 10000000]");
            System.err.println("       run.sh object-sync [--source generated|sendgrid] [--rows 1000000] [--change-percent 1] [--server-heap 256m] [--batch-rows 2000]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        switch (args[0]) {
            case "webhook-ingest" -> new WebhookIngestBench(options).run();
            case "cohort-sync" -> new CohortSyncBench(options).run();
            case "delivery" -> new DeliveryBench(options).run();
            case "live-tail" -> new EventLogScaleBench(options).liveTail();
            case "event-query" -> new EventLogScaleBench(options).eventQuery();
            case "object-sync" -> new ObjectSyncBench(options).run();
            default -> {
                System.err.println("unknown benchmark " + args[0]);
                System.exit(2);
            }
        }
    }
}
