package dev.junction.platform.profile;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * What one batch of events changes in one user's profile.
 *
 * @param userKey     the user (userId, or {@code anonymous:<anonymousId>})
 * @param traits      identify traits to merge over the stored ones (later values win); empty for none
 * @param orderAmount the sum of the batch's order amounts, or null when it has no orders
 * @param orders      how many orders the batch has
 * @param lastOrderAt the latest order time in the batch, or null
 */
public record ProfileUpdate(String userKey, Map<String, Object> traits, BigDecimal orderAmount, long orders,
                            Instant lastOrderAt) { }
