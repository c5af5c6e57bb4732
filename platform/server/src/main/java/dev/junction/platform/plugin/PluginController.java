package dev.junction.platform.plugin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.junction.platform.security.PlatformOnly;
import dev.junction.platform.web.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** What plugins the platform found, and re-enabling a connector switched off at run time. */
@Controller("/v1/admin/plugins")
@PlatformOnly
class PluginController {

    private final ConnectorRegistry registry;

    PluginController(ConnectorRegistry registry) {
        this.registry = registry;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PluginView(String id, @Nullable String version, String path, String state, @Nullable String connector,
                      @Nullable String error, @JsonProperty("disabled_reason") @Nullable String disabledReason) { }

    @Serdeable
    record PluginList(List<PluginView> items) { }

    @Get
    PluginList list() {
        return new PluginList(registry.plugins().stream().map(this::view).toList());
    }

    /** Clears a run-time disable (after a thrown or hung call), once the operator has looked into it. */
    @Post("/{id}/enable")
    PluginView enable(String id) {
        PluginStatus status = registry.plugins().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Plugin '" + id + "'"));
        if (status.connector() == null) {
            throw ApiException.conflict("Plugin '" + id + "' did not load (" + status.error() + "); fix it and restart");
        }
        registry.require(status.connector()).enable();
        return view(status);
    }

    private PluginView view(PluginStatus p) {
        String disabled = p.connector() == null ? null : registry.find(p.connector()).flatMap(ConnectorEntry::disabledReason).orElse(null);
        String state = disabled != null ? "disabled" : p.state();
        return new PluginView(p.id(), p.version(), p.path().toString(), state, p.connector(), p.error(), disabled);
    }
}
