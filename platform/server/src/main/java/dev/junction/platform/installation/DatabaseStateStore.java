package dev.junction.platform.installation;

import dev.junction.platform.tenancy.TenantId;
import dev.junction.runtime.MapStateStore;
import dev.junction.spi.StateStore;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A connector's {@link StateStore}: one row per key, each operation its own transaction. */
final class DatabaseStateStore implements StateStore {

    private final InstallationStateRepository repository;
    private final TransactionOperations<Connection> tx;
    private final TenantId tenant;
    private final UUID installation;
    private final Clock clock;

    DatabaseStateStore(InstallationStateRepository repository, TransactionOperations<Connection> tx, TenantId tenant,
                       UUID installation, Clock clock) {
        this.repository = repository;
        this.tx = tx;
        this.tenant = tenant;
        this.installation = installation;
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) {
        return tx.executeRead(s -> repository.get(tenant, installation, key));
    }

    @Override
    public void put(String key, String value) {
        MapStateStore.checkLimits(key, value);
        tx.executeWrite(s -> {
            repository.put(tenant, installation, key, value, Instant.now(clock));
            return null;
        });
    }

    @Override
    public void delete(String key) {
        tx.executeWrite(s -> {
            repository.delete(tenant, installation, key);
            return null;
        });
    }

    @Override
    public Map<String, String> list(String prefix) {
        return tx.executeRead(s -> repository.list(tenant, installation, prefix));
    }
}
