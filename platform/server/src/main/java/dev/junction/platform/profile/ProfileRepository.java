package dev.junction.platform.profile;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.junction.platform.PlatformJson;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Profiles and anonymousId aliases of one tenant. */
@Singleton
class ProfileRepository {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final String COLUMNS = "user_key, traits::text AS traits, lifetime_value, order_count, last_order_at, created_at, updated_at";

    private final Jdbc jdbc;

    ProfileRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Applies the updates in one statement. Rows are written in user-key order so that concurrent
     * batches touching the same users lock them in the same order (no deadlocks).
     */
    void apply(TenantId tenant, List<ProfileUpdate> updates, Instant now) {
        if (updates.isEmpty()) {
            return;
        }
        List<ProfileUpdate> sorted = updates.stream().sorted(Comparator.comparing(ProfileUpdate::userKey)).toList();
        int n = sorted.size();
        Object[] keys = new Object[n];
        Object[] traits = new Object[n];
        Object[] amounts = new Object[n];
        Object[] orders = new Object[n];
        Object[] lastOrder = new Object[n];
        for (int i = 0; i < n; i++) {
            ProfileUpdate u = sorted.get(i);
            keys[i] = u.userKey();
            traits[i] = PlatformJson.write(u.traits());
            amounts[i] = u.orderAmount() == null ? BigDecimal.ZERO : u.orderAmount();
            orders[i] = u.orders();
            lastOrder[i] = u.lastOrderAt() == null ? null : Timestamp.from(u.lastOrderAt());
        }
        jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO profile AS p (tenant_id, user_key, traits, lifetime_value, order_count, last_order_at, created_at, updated_at)
                    SELECT ?, u.user_key, u.traits::jsonb, u.amount, u.orders, u.last_order_at, ?, ?
                    FROM unnest(?::text[], ?::text[], ?::numeric[], ?::bigint[], ?::timestamptz[])
                         WITH ORDINALITY AS u(user_key, traits, amount, orders, last_order_at, ord)
                    ORDER BY u.ord
                    ON CONFLICT (tenant_id, user_key) DO UPDATE SET
                        traits = p.traits || EXCLUDED.traits,
                        lifetime_value = p.lifetime_value + EXCLUDED.lifetime_value,
                        order_count = p.order_count + EXCLUDED.order_count,
                        last_order_at = GREATEST(p.last_order_at, EXCLUDED.last_order_at),
                        updated_at = EXCLUDED.updated_at""")) {
                Timestamp at = Timestamp.from(now);
                ps.setObject(1, tenant.value());
                ps.setTimestamp(2, at);
                ps.setTimestamp(3, at);
                ps.setArray(4, c.createArrayOf("text", keys));
                ps.setArray(5, c.createArrayOf("text", traits));
                ps.setArray(6, c.createArrayOf("numeric", amounts));
                ps.setArray(7, c.createArrayOf("bigint", orders));
                ps.setArray(8, c.createArrayOf("timestamptz", lastOrder));
                return ps.executeUpdate();
            }
        });
    }

    /** Remembers which user each anonymousId turned out to be (the latest wins). */
    void alias(TenantId tenant, Map<String, String> userIdByAnonymousId, Instant now) {
        if (userIdByAnonymousId.isEmpty()) {
            return;
        }
        List<Map.Entry<String, String>> sorted = userIdByAnonymousId.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        jdbc.withConnection(c -> Jdbc.executeUpdate(c, """
                        INSERT INTO profile_alias AS a (tenant_id, anonymous_id, user_id, updated_at)
                        SELECT ?, u.anonymous_id, u.user_id, ? FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(anonymous_id, user_id, ord)
                        ORDER BY u.ord
                        ON CONFLICT (tenant_id, anonymous_id) DO UPDATE SET user_id = EXCLUDED.user_id, updated_at = EXCLUDED.updated_at
                        WHERE a.user_id <> EXCLUDED.user_id""",
                tenant.value(), now, c.createArrayOf("text", sorted.stream().map(Map.Entry::getKey).toArray()),
                c.createArrayOf("text", sorted.stream().map(Map.Entry::getValue).toArray())));
    }

    /** Profiles by user key; anonymous keys whose anonymousId has an alias resolve to the user's profile. */
    List<Profile> find(TenantId tenant, Collection<String> userKeys) {
        if (userKeys.isEmpty()) {
            return List.of();
        }
        return jdbc.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT k.key AS requested, p.user_key, p.traits::text AS traits, p.lifetime_value, p.order_count, p.last_order_at,
                           p.created_at, p.updated_at
                    FROM unnest(?::text[]) AS k(key)
                    LEFT JOIN profile_alias a ON a.tenant_id = ? AND k.key LIKE 'anonymous:%' AND a.anonymous_id = substr(k.key, 11)
                    JOIN profile p ON p.tenant_id = ? AND p.user_key = coalesce(a.user_id, k.key)""")) {
                ps.setArray(1, c.createArrayOf("text", userKeys.toArray()));
                ps.setObject(2, tenant.value());
                ps.setObject(3, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Profile> out = new java.util.ArrayList<>();
                    while (rs.next()) {
                        Profile p = map(rs);
                        out.add(new Profile(rs.getString("requested"), p.traits(), p.lifetimeValue(), p.orderCount(), p.lastOrderAt(),
                                p.createdAt(), p.updatedAt()));
                    }
                    return out;
                }
            }
        });
    }

    Optional<Profile> find(TenantId tenant, String userKey) {
        return jdbc.one("SELECT " + COLUMNS + " FROM profile WHERE tenant_id = ? AND user_key = ?", ProfileRepository::map,
                tenant.value(), userKey);
    }

    private static Profile map(ResultSet rs) throws SQLException {
        try {
            return new Profile(rs.getString("user_key"), PlatformJson.MAPPER.readValue(rs.getString("traits"), MAP),
                    rs.getBigDecimal("lifetime_value"), rs.getLong("order_count"), Jdbc.instant(rs, "last_order_at"),
                    Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
