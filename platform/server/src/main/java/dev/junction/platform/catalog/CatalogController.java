package dev.junction.platform.catalog;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.installation.InstallationResponse;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.installation.InstallationViews;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.plugin.PluginStatus;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.security.Caller;
import dev.junction.platform.security.TenantRead;
import dev.junction.platform.security.TenantWrite;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorDescriptor;
import dev.junction.spi.DeliveryMode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** The integration catalog (what can be installed) and the install endpoint. */
@Controller("/v1/admin/integration-catalog")
class CatalogController {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    private final ConnectorRegistry registry;
    private final InstallationService installations;
    private final InstallationViews views;

    CatalogController(ConnectorRegistry registry, InstallationService installations, InstallationViews views) {
        this.registry = registry;
        this.installations = installations;
        this.views = views;
    }

    @Serdeable
    record InstallRequest(@Nullable String name, @Nullable String variant, @Nullable Map<String, Object> config,
                          @JsonProperty("delivery_mode") @Nullable String deliveryMode,
                          @JsonProperty("object_sync") @Nullable Map<String, Object> objectSync) {
        @Override
        public String toString() {
            return "InstallRequest[name=" + name + ", variant=" + variant + ", config=<redacted>, object_sync=" + objectSync + "]";
        }
    }

    @Serdeable
    record CatalogList(List<CatalogEntry> items) { }

    /** Every connector, plus plugins that failed to load (status disabled, with the reason). */
    @Get
    @TenantRead
    CatalogList list() {
        List<CatalogEntry> items = new java.util.ArrayList<>(registry.connectors().stream().map(CatalogController::entry).toList());
        registry.plugins().stream().filter(p -> p.connector() == null).map(CatalogController::failed).forEach(items::add);
        return new CatalogList(items);
    }

    @Get("/{slug}")
    @TenantRead
    CatalogEntry get(String slug) {
        return registry.find(slug).map(CatalogController::entry)
                .or(() -> registry.plugins().stream().filter(p -> p.connector() == null && p.id().equals(slug))
                        .findFirst().map(CatalogController::failed))
                .orElseThrow(() -> ApiException.notFound("Integration '" + slug + "'"));
    }

    /** A plugin that never became a connector: shown so its users see why it is missing. */
    static CatalogEntry failed(PluginStatus p) {
        return new CatalogEntry(p.id(), p.id(), "Unknown", "This plugin could not be loaded.", List.of(), List.of(),
                List.of(), Map.of(), "disabled", p.error(), null, null,
                new CatalogEntry.PluginView(p.id(), p.version(), null));
    }

    /**
     * Installs the integration for the caller's tenant: 201 with the installation. The connection
     * check runs first unless {@code ?check=false}; a failed check is 422 and stores nothing.
     */
    @Post("/{slug}/install")
    @TenantWrite
    HttpResponse<InstallationResponse> install(String slug, @Body InstallRequest request,
                                               @QueryValue(defaultValue = "true") boolean check, Caller caller) {
        var installation = installations.install(caller.tenantId(), slug,
                new InstallationService.InstallCommand(request.name(), request.variant(), request.config(), request.deliveryMode(),
                        request.objectSync()),
                check);
        return HttpResponse.created(views.view(installation), URI.create("/v1/admin/installations/" + installation.id()));
    }

    @SuppressWarnings("unchecked")
    static CatalogEntry entry(ConnectorEntry e) {
        ConnectorDescriptor d = e.descriptor();
        String status = e.disabledReason().isPresent() ? "disabled" : d.status().wireName();
        return new CatalogEntry(d.slug(), d.name(), d.category(), d.description(),
                e.capabilities().stream().map(Capability::wireName).toList(),
                d.variants().stream().map(v -> new CatalogEntry.VariantView(v.key(), v.name(), v.description())).toList(),
                d.deliveryModes().stream().map(DeliveryMode::wireName).toList(),
                JSON.convertValue(e.schema().tree(), Map.class), status, e.disabledReason().orElse(null),
                d.iconUrl(), d.docsUrl(), new CatalogEntry.PluginView(e.pluginId(), e.pluginVersion(), d.spiVersion()));
    }
}
