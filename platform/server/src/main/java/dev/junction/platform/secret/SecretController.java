package dev.junction.platform.secret;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;

@Controller("/v1/admin/secrets")
class SecretController {

    private static final String NAME_RULE = "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit";

    private final SecretService secrets;

    SecretController(SecretService secrets) {
        this.secrets = secrets;
    }

    @Serdeable
    record PutSecretRequest(@NotEmpty @Size(max = SecretService.MAX_VALUE_LENGTH) String value) {
        @Override
        public String toString() {
            return "PutSecretRequest[value=<redacted>]"; // the value must never reach a log line
        }
    }

    @Serdeable
    record SecretResponse(String name, int version,
                          @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("updated_at") Instant updatedAt) {
        static SecretResponse of(SecretMetadata m) {
            return new SecretResponse(m.name(), m.version(), m.createdAt(), m.updatedAt());
        }
    }

    /** Creates (201) or replaces (200, next version) a secret. The value is never returned. */
    @Put("/{name}")
    @TenantWrite
    HttpResponse<SecretResponse> put(@PathVariable @Pattern(regexp = SecretService.NAME_PATTERN, message = NAME_RULE) String name,
                                     @Body @Valid PutSecretRequest request, Caller caller) {
        rejectReserved(name);
        SecretService.PutResult result = secrets.put(caller.tenantId(), name, request.value());
        return HttpResponse.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(SecretResponse.of(result.secret()));
    }

    @Get
    @TenantRead
    Page<SecretResponse> list(@QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor, Caller caller) {
        Page<SecretMetadata> page = secrets.list(caller.tenantId(), cursor, Page.limit(limit));
        return new Page<>(page.items().stream().map(SecretResponse::of).toList(), page.nextCursor());
    }

    @Get("/{name}")
    @TenantRead
    SecretResponse get(String name, Caller caller) {
        return secrets.metadata(caller.tenantId(), name).map(SecretResponse::of)
                .orElseThrow(() -> ApiException.notFound("Secret '" + name + "'"));
    }

    @Delete("/{name}")
    @TenantWrite
    @Status(HttpStatus.NO_CONTENT)
    void delete(String name, Caller caller) {
        rejectReserved(name);
        secrets.delete(caller.tenantId(), name);
    }

    /** Installation credentials change through their installation, never directly. */
    private static void rejectReserved(String name) {
        if (name.startsWith(SecretService.INSTALLATION_PREFIX)) {
            throw ApiException.conflict("Secrets named " + SecretService.INSTALLATION_PREFIX
                    + "* belong to installations; change them with PATCH /v1/admin/installations/{id}");
        }
    }
}
