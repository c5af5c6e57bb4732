package dev.junction.platform.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantWrite;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Managing an installation's webhook URL: rotation and basic-auth credentials. */
@Controller("/v1/admin/installations/{id}/webhook")
class WebhookAdminController {

    private final WebhookService webhooks;

    WebhookAdminController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @Serdeable
    record RotateRequest(@JsonProperty("grace_period_seconds") @Nullable @Min(0) @Max(604_800) Integer gracePeriodSeconds) { }

    @Serdeable
    record BasicAuthRequest(@NotBlank @Size(max = 200) @Pattern(regexp = "^[^:]*$", message = "must not contain ':'") String username,
                            @NotBlank @Size(min = 12, max = 200) String password) {
        @Override
        public String toString() {
            return "BasicAuthRequest[username=" + username + ", password=<redacted>]";
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WebhookResponse(String url, @JsonProperty("created_at") Instant createdAt,
                           @JsonProperty("previous_url") @Nullable String previousUrl,
                           @JsonProperty("previous_url_expires_at") @Nullable Instant previousExpiresAt,
                           @JsonProperty("basic_auth_username") @Nullable String basicAuthUsername) {
        static WebhookResponse of(WebhookService.WebhookInfo i) {
            return new WebhookResponse(i.url(), i.createdAt(), i.previousUrl(), i.previousExpiresAt(), i.basicAuthUsername());
        }
    }

    /** A new URL; the old one keeps working for {@code grace_period_seconds} (default 0: stops at once). */
    @Post("/rotate")
    @TenantWrite
    WebhookResponse rotate(UUID id, @Body @Valid @Nullable RotateRequest request, Caller caller) {
        int grace = request == null || request.gracePeriodSeconds() == null ? 0 : request.gracePeriodSeconds();
        return WebhookResponse.of(webhooks.rotate(caller.tenantId(), id, Duration.ofSeconds(grace)));
    }

    /** Requires HTTP Basic credentials from the sender (put them in the URL you give the vendor). */
    @Put("/basic-auth")
    @TenantWrite
    WebhookResponse setBasicAuth(UUID id, @Body @Valid BasicAuthRequest request, Caller caller) {
        return WebhookResponse.of(webhooks.setBasicAuth(caller.tenantId(), id, request.username(), request.password()));
    }

    @Delete("/basic-auth")
    @TenantWrite
    WebhookResponse clearBasicAuth(UUID id, Caller caller) {
        return WebhookResponse.of(webhooks.setBasicAuth(caller.tenantId(), id, null, null));
    }

}
