package dev.junction.platform.health;

import dev.junction.platform.plugin.ConnectorRegistry;
import io.micronaut.flyway.event.MigrationFinishedEvent;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health/readiness}: 200 when this replica can do its work, 503 otherwise. Ready means
 * the database answers (checked by {@link DatabaseProbe}), the migrations have run, and the plugins
 * were loaded. {@code GET /health/liveness} does not include this: a replica that loses its
 * database is unready (taken out of the load balancer) but not dead (not restarted).
 */
@Singleton
@Readiness
final class ReadinessCheck implements HealthIndicator {

    private final DatabaseProbe database;
    private final Provider<ConnectorRegistry> plugins;
    private volatile boolean migrated;

    ReadinessCheck(DatabaseProbe database, Provider<ConnectorRegistry> plugins) {
        this.database = database;
        this.plugins = plugins;
    }

    @EventListener
    void onMigrated(MigrationFinishedEvent event) {
        migrated = true;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean db = database.reachable();
        details.put("database", db ? "reachable" : "unreachable: " + database.problem());
        details.put("migrations", migrated ? "applied" : "pending");
        // the registry exists once the plugins directory was read (a plugin that failed is listed, not fatal)
        long started = plugins.get().plugins().stream().filter(p -> "started".equals(p.state())).count();
        details.put("plugins_started", started);
        boolean ready = db && migrated;
        return Mono.just(HealthResult.builder("readiness", ready ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
