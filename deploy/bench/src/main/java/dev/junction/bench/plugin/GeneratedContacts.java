package dev.junction.bench.plugin;

import dev.junction.spi.CheckResult;
import dev.junction.spi.Connector;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.SpiVersion;
import dev.junction.spi.objects.CollectionSpec;
import dev.junction.spi.objects.ColumnSpec;
import dev.junction.spi.objects.ColumnSpec.ColumnType;
import dev.junction.spi.objects.ObjectSync;
import dev.junction.spi.objects.RecordSink;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connector that makes up its vendor: one collection of {@code rows} contacts with a column of
 * every type, emitted as fast as the sink takes them. Generation 1 is contacts {@code c0..c(rows-1)};
 * each later generation shifts the range by {@code change_percent} (that many leave, as many
 * join) and renames every hundredth contact. Packaged as a plugin zip by {@code ObjectSyncBench}.
 */
public final class GeneratedContacts {

    public static final String SLUG = "bench-objects";

    private GeneratedContacts() {
    }

    /** The connector. */
    public static final class Connector_ implements Connector {
        @Override
        public ConnectorDescriptor descriptor() {
            return ConnectorDescriptor.builder(SLUG, SpiVersion.CURRENT).name("Generated contacts").category("Benchmark")
                    .description("made-up contacts for the object-sync benchmark")
                    .configSchema("{\"type\":\"object\",\"properties\":{\"rows\":{\"type\":\"integer\"},"
                            + "\"generation\":{\"type\":\"integer\"},\"change_percent\":{\"type\":\"number\"}}}").build();
        }

        @Override
        public CheckResult check(ConnectorContext context) {
            return CheckResult.ok();
        }
    }

    /** The capability. */
    public static final class Sync implements ObjectSync {
        @Override
        public List<CollectionSpec> collections() {
            return List.of(new CollectionSpec("contacts", "id", List.of(new ColumnSpec("id", ColumnType.TEXT),
                    new ColumnSpec("email", ColumnType.TEXT), new ColumnSpec("first_name", ColumnType.TEXT),
                    new ColumnSpec("last_name", ColumnType.TEXT), new ColumnSpec("age", ColumnType.BIGINT),
                    new ColumnSpec("score", ColumnType.DOUBLE), new ColumnSpec("vip", ColumnType.BOOLEAN),
                    new ColumnSpec("created_at", ColumnType.TIMESTAMP), new ColumnSpec("attributes", ColumnType.JSON),
                    new ColumnSpec("lists", ColumnType.TEXT_ARRAY))));
        }

        @Override
        public void sync(ConnectorContext context, RecordSink sink) {
            long rows = context.config().number("rows").map(Number::longValue).orElse(1_000_000L);
            long generation = context.config().number("generation").map(Number::longValue).orElse(1L);
            double changePercent = context.config().number("change_percent").map(Number::doubleValue).orElse(1.0);
            long shift = Math.round(rows * changePercent / 100) * (generation - 1);
            sink.begin("contacts");
            for (long i = shift; i < rows + shift; i++) {
                Map<String, Object> contact = new LinkedHashMap<>();
                contact.put("id", "c" + i);
                contact.put("email", "member" + i + "@example.com");
                contact.put("first_name", (generation > 1 && i % 100 == 0 ? "Renamed" + generation + "-" : "First") + i);
                contact.put("last_name", "Last" + i);
                contact.put("age", i % 90);
                contact.put("score", i * 0.5);
                contact.put("vip", i % 7 == 0);
                contact.put("created_at", Instant.ofEpochSecond(1_700_000_000L + i));
                contact.put("attributes", Map.of("plan", i % 3 == 0 ? "pro" : "free", "seats", i % 10));
                contact.put("lists", List.of("list-" + (i % 5), "everyone"));
                sink.upsert("contacts", contact, contact);
            }
            sink.complete("contacts");
        }
    }
}
