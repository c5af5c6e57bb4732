package dev.junction.platform.secret;

import dev.junction.platform.tenant.Tenant;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.tenant.TenantService;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tenant secret store: the one place credentials live (API keys of installations included).
 * Values go in through {@link #put} and come out only through {@link #reveal}, for platform code
 * that must use them; no API returns them.
 */
@Singleton
public class SecretService {

    /** Secret names: safe in a URL path segment and in logs. */
    public static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
    /** Names under this prefix hold installation credentials and are managed by installations only. */
    public static final String INSTALLATION_PREFIX = "installation.";
    /** Largest accepted value, in characters. */
    public static final int MAX_VALUE_LENGTH = 65_536;

    private final SecretRepository secrets;
    private final SecretCipher cipher;
    private final MasterKeyRing keys;
    private final TenantService tenants;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    SecretService(SecretRepository secrets, SecretCipher cipher, MasterKeyRing keys, TenantService tenants,
                  TransactionOperations<Connection> transactions, Clock clock) {
        this.secrets = secrets;
        this.cipher = cipher;
        this.keys = keys;
        this.tenants = tenants;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The outcome of {@link #put}: the secret's metadata and whether it was created. */
    public record PutResult(SecretMetadata secret, boolean created) { }

    /** Stores a value: version 1 when new, else the next version. */
    @Transactional
    public PutResult put(TenantId tenant, String name, String value) {
        SealedSecret sealed = cipher.seal(tenant, name, value.getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        boolean created = secrets.insert(tenant, name, sealed, now);
        if (!created) {
            secrets.findForUpdate(tenant, name);
            secrets.replace(tenant, name, sealed, now);
        }
        SecretMetadata metadata = secrets.find(tenant, name).orElseThrow().metadata();
        return new PutResult(metadata, created);
    }

    @ReadOnly
    public Optional<SecretMetadata> metadata(TenantId tenant, String name) {
        return secrets.find(tenant, name).map(SecretRepository.Row::metadata);
    }

    @ReadOnly
    public Page<SecretMetadata> list(TenantId tenant, @Nullable String cursor, int limit) {
        return Page.ofOverfetched(secrets.list(tenant, Cursor.readText(cursor), limit + 1), limit, s -> Cursor.of(s.name()));
    }

    @Transactional
    public void delete(TenantId tenant, String name) {
        if (!secrets.delete(tenant, name)) {
            throw ApiException.notFound("Secret '" + name + "'");
        }
    }

    /**
     * The plaintext value, for platform code that hands credentials to a connector. Never return
     * it from an API or put it in a log line or exception message.
     *
     * @throws SecretUnreadableException when the stored ciphertext does not decrypt for this
     *                                   tenant and name
     */
    @ReadOnly
    public Optional<String> reveal(TenantId tenant, String name) {
        return secrets.find(tenant, name)
                .map(row -> new String(cipher.open(tenant, name, row.sealed()), StandardCharsets.UTF_8));
    }

    /**
     * The outcome of a master key rotation.
     *
     * @param unreadable secrets whose data key no configured master key opens, as
     *                   {@code tenant/name: reason}; they are left as they are
     */
    public record RewrapReport(String currentKeyId, int tenants, int rewrapped, List<String> unreadable) { }

    /**
     * Re-wraps every data key that is not yet under the current master key, one transaction per
     * tenant. Run it after moving the old key to {@code JUNCTION_PREVIOUS_MASTER_KEYS}; once it
     * reports, the old key can be dropped. Safe to run again or concurrently (rows are locked).
     */
    public RewrapReport rewrapAll() {
        int tenantCount = 0;
        int rewrapped = 0;
        List<String> unreadable = new ArrayList<>();
        String cursor = null;
        do {
            Page<Tenant> page = tenants.list(cursor, Page.MAX_LIMIT);
            for (Tenant t : page.items()) {
                tenantCount++;
                rewrapped += transactions.executeWrite(status -> {
                    int done = 0;
                    for (SecretRepository.Row row : secrets.listWrappedByOtherKeys(t.id(), keys.currentKeyId())) {
                        String name = row.metadata().name();
                        try {
                            secrets.rewrap(t.id(), name, cipher.rewrap(t.id(), name, row.sealed()));
                            done++;
                        } catch (SecretUnreadableException e) {
                            unreadable.add(t.slug() + "/" + name + ": " + e.getMessage());
                        }
                    }
                    return done;
                });
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return new RewrapReport(keys.currentKeyId(), tenantCount, rewrapped, List.copyOf(unreadable));
    }
}
