package dev.junction.platform.profile;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's profile: identify traits merged, and totals kept from {@code Order Completed} events.
 *
 * @param lifetimeValue the sum of revenue (or total) over the user's orders
 * @param orderCount    how many orders
 * @param lastOrderAt   the latest order's time, or null
 */
public record Profile(String userKey, Map<String, Object> traits, BigDecimal lifetimeValue, long orderCount,
                      Instant lastOrderAt, Instant createdAt, Instant updatedAt) {

    /** Prefix of the keys of users known only by anonymousId. */
    public static final String ANONYMOUS_PREFIX = "anonymous:";

    /** The key a user is stored under: the userId, else {@code anonymous:<anonymousId>}. */
    public static String keyOf(String userId, String anonymousId) {
        return userId != null ? userId : ANONYMOUS_PREFIX + anonymousId;
    }

    /** The computed traits as the destination SPI names them; keys absent until they have a value. */
    public Map<String, Object> computedTraits() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (orderCount > 0) {
            out.put("lifetime_value", lifetimeValue);
            out.put("order_count", orderCount);
        }
        if (lastOrderAt != null) {
            out.put("last_order_at", lastOrderAt);
        }
        return out;
    }
}
