package dev.junction.platform.inbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Clock;
import java.time.Instant;

/**
 * How far the ingest processors are behind: {@code GET /v1/admin/ingest/backlog}. The caller's
 * tenant's backlog; the total over all tenants for platform admins only (it tells one tenant about
 * the others' traffic).
 */
@Controller("/v1/admin/ingest/backlog")
class BacklogController {

    private final Backlog backlog;
    private final Clock clock;

    BacklogController(Backlog backlog, Clock clock) {
        this.backlog = backlog;
        this.clock = clock;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SizeView(long requests, long events, @JsonProperty("oldest_received_at") @Nullable Instant oldestReceivedAt,
                    @JsonProperty("oldest_age_ms") long oldestAgeMs) {
        static SizeView of(Backlog.Size size, Instant now) {
            return new SizeView(size.requests(), size.events(), size.oldestReceivedAt(), size.oldestAge(now).toMillis());
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BacklogView(@Nullable SizeView tenant, @Nullable SizeView total) { }

    @Get
    @TenantRead
    BacklogView get(Caller caller) {
        Instant now = Instant.now(clock);
        SizeView tenant = caller.isPlatformAdmin() && caller.tenant() == null && caller.unknownTenant() == null ? null
                : SizeView.of(backlog.of(caller.tenantId()), now);
        SizeView total = caller.isPlatformAdmin() ? SizeView.of(backlog.total(), now) : null;
        return new BacklogView(tenant, total);
    }
}
