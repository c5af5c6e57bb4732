package dev.junction.platform.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.web.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Reads the profile store: {@code GET /v1/admin/profiles?user_id=} (or {@code anonymous_id=}). */
@Controller("/v1/admin/profiles")
class ProfileController {

    private final ProfileStore profiles;

    ProfileController(ProfileStore profiles) {
        this.profiles = profiles;
    }

    @Serdeable
    record ProfileResponse(@JsonProperty("user_key") String userKey, Map<String, Object> traits,
                           @JsonProperty("lifetime_value") BigDecimal lifetimeValue, @JsonProperty("order_count") long orderCount,
                           @JsonProperty("last_order_at") Instant lastOrderAt, @JsonProperty("created_at") Instant createdAt,
                           @JsonProperty("updated_at") Instant updatedAt) { }

    /** By query parameter rather than path: user ids are free text (slashes, e-mails). */
    @Get
    @TenantRead
    ProfileResponse get(@QueryValue("user_id") @Nullable String userId,
                        @QueryValue("anonymous_id") @Nullable String anonymousId, Caller caller) {
        if ((userId == null) == (anonymousId == null)) {
            throw ApiException.badRequest("Give exactly one of user_id and anonymous_id");
        }
        Profile p = profiles.get(caller.tenantId(), Profile.keyOf(userId, anonymousId));
        return new ProfileResponse(p.userKey(), p.traits(), p.lifetimeValue(), p.orderCount(), p.lastOrderAt(), p.createdAt(),
                p.updatedAt());
    }
}
