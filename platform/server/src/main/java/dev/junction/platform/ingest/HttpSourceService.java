package dev.junction.platform.ingest;

import dev.junction.platform.security.RandomCredentials;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP sources and their write keys. A key is shown once, when created or rotated, and stored
 * only as a hash. Resolved keys are cached for a few seconds per replica, so a busy sender costs
 * no lookup per request; a deleted or rotated-out key stops working within that time everywhere.
 */
@Singleton
public class HttpSourceService {

    /** Write keys look like {@code jwk_<32 characters>}; the prefix lets secret scanners recognise them. */
    static final String KEY_PREFIX = "jwk_";
    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    static final Duration MAX_GRACE = Duration.ofDays(7);

    private final HttpSourceRepository sources;
    private final WriteKeyLookup lookup;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final Map<String, Cached> resolved = new ConcurrentHashMap<>();

    private record Cached(WriteKeyLookup.SourceRef source, Instant until) { }

    /** A source with its new write key (returned once). */
    public record WithKey(HttpSource source, String writeKey) {
        @Override
        public String toString() {
            return "WithKey[source=" + source + ", writeKey=***]";
        }
    }

    HttpSourceService(HttpSourceRepository sources, WriteKeyLookup lookup, TransactionOperations<Connection> tx, Clock clock) {
        this.sources = sources;
        this.lookup = lookup;
        this.tx = tx;
        this.clock = clock;
    }

    public WithKey create(TenantId tenant, String name) {
        UUID id = UUID.randomUUID();
        String secret = RandomCredentials.newValue();
        tx.executeWrite(s -> {
            sources.insert(tenant, id, name, RandomCredentials.hash(secret), hint(secret), now());
            return null;
        });
        return new WithKey(get(tenant, id), KEY_PREFIX + secret);
    }

    public HttpSource get(TenantId tenant, UUID id) {
        return tx.executeRead(s -> sources.find(tenant, id)).orElseThrow(() -> ApiException.notFound("Source " + id));
    }

    public Page<HttpSource> list(TenantId tenant, @Nullable String cursor, int limit) {
        Cursor.CreatedAndId after = Cursor.CreatedAndId.read(cursor);
        List<HttpSource> rows = tx.executeRead(s -> sources.list(tenant, after == null ? null : after.createdAt(),
                after == null ? null : after.id(), limit + 1));
        return Page.ofOverfetched(rows, limit, src -> new Cursor.CreatedAndId(src.createdAt(), src.id()).cursor());
    }

    /**
     * Issues a new write key. The old key keeps working for {@code grace} (zero: stops at once), so
     * senders can be reconfigured without losing events.
     */
    public WithKey rotate(TenantId tenant, UUID id, Duration grace) {
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw ApiException.invalid("/grace_period_seconds", "must be between 0 and " + MAX_GRACE.toSeconds());
        }
        String secret = RandomCredentials.newValue();
        Instant now = now();
        boolean found = tx.executeWrite(s -> sources.rotate(tenant, id, RandomCredentials.hash(secret), hint(secret),
                grace.isZero() ? null : now.plus(grace), now));
        if (!found) {
            throw ApiException.notFound("Source " + id);
        }
        resolved.clear();
        return new WithKey(get(tenant, id), KEY_PREFIX + secret);
    }

    public void delete(TenantId tenant, UUID id) {
        if (!tx.executeWrite(s -> sources.delete(tenant, id))) {
            throw ApiException.notFound("Source " + id);
        }
        resolved.clear();
    }

    /** The source a write key belongs to, or empty for anything that is not a live key. */
    Optional<WriteKeyLookup.SourceRef> authenticate(String writeKey) {
        if (writeKey == null || !writeKey.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        String secret = writeKey.substring(KEY_PREFIX.length());
        if (!RandomCredentials.wellFormed(secret)) {
            return Optional.empty();
        }
        Instant now = Instant.now(clock);
        Cached cached = resolved.get(secret);
        if (cached != null && cached.until().isAfter(now)) {
            return Optional.of(cached.source());
        }
        Optional<WriteKeyLookup.SourceRef> found = tx.executeRead(s -> lookup.resolve(secret, now));
        found.ifPresentOrElse(ref -> resolved.put(secret, new Cached(ref, now.plus(CACHE_FOR))), () -> resolved.remove(secret));
        if (resolved.size() > 10_000) {
            resolved.clear(); // a bound, not an eviction policy: live keys are few
        }
        return found;
    }

    private static String hint(String secret) {
        return KEY_PREFIX + secret.substring(0, 4) + "…";
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
