package dev.junction.platform.secret;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.PlatformOnly;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Master key rotation for operators; the same as the {@code rotate-master-key} command. */
@Controller("/v1/admin/master-key")
class MasterKeyController {

    private final SecretService secrets;

    MasterKeyController(SecretService secrets) {
        this.secrets = secrets;
    }

    @Serdeable
    record RewrapResponse(@JsonProperty("current_key_id") String currentKeyId, int tenants, int rewrapped,
                          List<String> unreadable) { }

    @Post("/rewrap")
    @PlatformOnly
    RewrapResponse rewrap() {
        SecretService.RewrapReport r = secrets.rewrapAll();
        return new RewrapResponse(r.currentKeyId(), r.tenants(), r.rewrapped(), r.unreadable());
    }
}
