package dev.junction.platform.installation;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.plugin.ConnectorUnavailableException;
import dev.junction.platform.secret.SecretService;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import dev.junction.platform.web.Problem;
import dev.junction.runtime.http.Masking;
import dev.junction.spi.CheckResult;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.DeliveryMode;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.Variant;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Installs connectors for tenants and manages installations. Configs are validated against the
 * connector's JSON Schema; secret fields go to the secret store (never the installation row); the
 * connection check runs before anything is stored, outside any database transaction.
 */
@Singleton
public class InstallationService {

    /** The value shown (and accepted back, meaning "unchanged") in place of a secret field. */
    public static final Map<String, String> SECRET_PLACEHOLDER = Map.of("secret", "set");

    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    private final ConnectorRegistry registry;
    private final ConnectorSessions sessions;
    private final InstallationRepository installations;
    private final SecretService secrets;
    private final ConnectorContexts contexts;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final ApplicationEventPublisher<InstallationCreated> created;
    private final ObjectSyncHook objectSync;

    InstallationService(ConnectorRegistry registry, ConnectorSessions sessions, InstallationRepository installations,
                        SecretService secrets, ConnectorContexts contexts, TransactionOperations<Connection> tx, Clock clock,
                        ApplicationEventPublisher<InstallationCreated> created, ObjectSyncHook objectSync) {
        this.created = created;
        this.objectSync = objectSync;
        this.registry = registry;
        this.sessions = sessions;
        this.installations = installations;
        this.secrets = secrets;
        this.contexts = contexts;
        this.tx = tx;
        this.clock = clock;
    }

    /** Published inside the transaction that stores a new installation. */
    public record InstallationCreated(Installation installation) { }

    /**
     * What to install. Null fields take defaults: the connector's name, the default variant, its
     * first delivery mode, and for a connector with object sync the default schema and interval.
     */
    public record InstallCommand(@Nullable String name, @Nullable String variant, @Nullable Map<String, Object> config,
                                 @Nullable String deliveryMode, @Nullable Map<String, Object> objectSync) {
        public InstallCommand(@Nullable String name, @Nullable String variant, @Nullable Map<String, Object> config,
                              @Nullable String deliveryMode) {
            this(name, variant, config, deliveryMode, null);
        }

        /** Config field names only: their values include API keys. */
        @Override
        public String toString() {
            return "InstallCommand[name=" + name + ", variant=" + variant + ", config=" + (config == null ? null : "<redacted " + config.keySet() + ">")
                    + ", deliveryMode=" + deliveryMode + ", objectSync=" + objectSync + "]";
        }
    }

    /** What to change; null means unchanged. In {@code config}, a null value removes a field. */
    public record PatchCommand(@Nullable String name, @Nullable Map<String, Object> config, @Nullable String deliveryMode,
                               @Nullable Map<String, Object> objectSync) {
        public PatchCommand(@Nullable String name, @Nullable Map<String, Object> config, @Nullable String deliveryMode) {
            this(name, config, deliveryMode, null);
        }

        /** Config field names only: their values include API keys. */
        @Override
        public String toString() {
            return "PatchCommand[name=" + name + ", config=" + (config == null ? null : "<redacted " + config.keySet() + ">") + ", deliveryMode=" + deliveryMode
                    + ", objectSync=" + objectSync + "]";
        }
    }

    /** What deleting an installation left in place: the name of its object sync schema, or null. */
    public record Deleted(@Nullable String retainedSchema) { }

    public Installation install(TenantId tenant, String slug, InstallCommand cmd, boolean check) {
        ConnectorEntry entry = usable(registry.require(slug));
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = name(cmd.name(), entry.descriptor().name(), errors);
        String variant = cmd.variant() == null ? Variant.DEFAULT : cmd.variant();
        if (entry.descriptor().variants().stream().noneMatch(v -> v.key().equals(variant))) {
            errors.add(Problem.FieldError.body("/variant", "unknown variant; " + slug + " offers "
                    + entry.descriptor().variants().stream().map(Variant::key).toList()));
        }
        String deliveryMode = deliveryMode(entry, cmd.deliveryMode(), errors);
        if (cmd.config() == null) {
            errors.add(Problem.FieldError.body("/config", "is required: an object matching the integration's config_schema"));
        } else {
            errors.addAll(ConfigFields.violations(entry, JSON.valueToTree(cmd.config())));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        Consumer<Installation> createObjectSync = objectSync.install(tenant, entry, cmd.objectSync());
        ObjectNode config = entry.schema().withDefaults(JSON.valueToTree(cmd.config()));
        UUID id = UUID.randomUUID();
        Installation.CheckRecord lastCheck = null;
        if (check) {
            lastCheck = requirePassing(runCheck(sessions.forCandidate(entry, tenant, id, name, variant, deliveryMode, config)));
        }
        Instant now = now();
        Installation installation = new Installation(id, tenant, slug, name, variant, deliveryMode,
                Installation.Status.ENABLED, ConfigFields.nonSecret(entry, config), ConfigFields.presentSecretFields(entry, config), lastCheck, now, now);
        tx.executeWrite(s -> {
            installations.insert(tenant, installation);
            for (String field : installation.secretFields()) {
                secrets.put(tenant, secretName(id, field), config.get(field).asText());
            }
            createObjectSync.accept(installation);
            created.publishEvent(new InstallationCreated(installation));
            return null;
        });
        return installation;
    }

    public Installation get(TenantId tenant, UUID id) {
        return find(tenant, id).orElseThrow(() -> notFound(id));
    }

    /** An installation that takes server-side deliveries: enabled and in {@code server_side} mode. */
    public record ServerSide(UUID id, String connector) { }

    /** The tenant's installations that take server-side deliveries (in the caller's transaction). */
    public List<ServerSide> serverSide(TenantId tenant) {
        return installations.serverSide(tenant);
    }

    /** The installation; empty when it does not exist (deleted, or another tenant's). */
    public Optional<Installation> find(TenantId tenant, UUID id) {
        return tx.executeRead(s -> installations.find(tenant, id));
    }

    public Page<Installation> list(TenantId tenant, @Nullable String cursor, int limit, @Nullable String connector) {
        Cursor.CreatedAndId after = Cursor.CreatedAndId.read(cursor);
        return Page.ofOverfetched(tx.executeRead(s -> installations.list(tenant, after == null ? null : after.createdAt(),
                        after == null ? null : after.id(), connector, limit + 1)), limit,
                last -> new Cursor.CreatedAndId(last.createdAt(), last.id()).cursor());
    }

    public Installation patch(TenantId tenant, UUID id, PatchCommand cmd, boolean check) {
        Installation current = get(tenant, id);
        ConnectorEntry entry = usable(registry.require(current.connector()));
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = cmd.name() == null ? current.name() : name(cmd.name(), current.name(), errors);
        String deliveryMode = cmd.deliveryMode() == null ? current.deliveryMode() : deliveryMode(entry, cmd.deliveryMode(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        Consumer<Installation> patchObjectSync = cmd.objectSync() == null ? i -> { }
                : objectSync.patch(current, entry, cmd.objectSync());
        ObjectNode before = sessions.resolvedConfig(current);
        ObjectNode merged = before.deepCopy();
        if (cmd.config() != null) {
            cmd.config().forEach((field, value) -> {
                if (value == null) {
                    merged.remove(field);
                } else if (!(current.secretFields().contains(field) && SECRET_PLACEHOLDER.equals(value))) {
                    merged.set(field, JSON.valueToTree(value));
                }
            });
        }
        List<Problem.FieldError> configErrors = ConfigFields.violations(entry, merged);
        if (!configErrors.isEmpty()) {
            throw ApiException.invalid(configErrors);
        }
        ObjectNode config = entry.schema().withDefaults(merged);
        boolean configChanged = !config.equals(entry.schema().withDefaults(before));
        Installation.CheckRecord lastCheck = current.lastCheck();
        if (check && configChanged) {
            lastCheck = requirePassing(runCheck(sessions.forCandidate(entry, tenant, id, name, current.variant(), deliveryMode, config)));
        }
        Installation updated = new Installation(id, tenant, current.connector(), name, current.variant(), deliveryMode,
                current.status(), ConfigFields.nonSecret(entry, config), ConfigFields.presentSecretFields(entry, config), lastCheck,
                current.createdAt(), now());
        tx.executeWrite(s -> {
            Installation locked = installations.findForUpdate(tenant, id).orElseThrow(() -> notFound(id));
            if (!locked.updatedAt().equals(current.updatedAt())) {
                throw ApiException.conflict("The installation was changed by another request meanwhile; read it again and retry");
            }
            installations.update(tenant, updated);
            patchObjectSync.accept(updated);
            for (String field : updated.secretFields()) {
                String value = config.get(field).asText();
                if (!before.has(field) || !before.get(field).asText().equals(value)) {
                    secrets.put(tenant, secretName(id, field), value);
                }
            }
            for (String field : current.secretFields()) {
                if (!updated.secretFields().contains(field)) {
                    secrets.delete(tenant, secretName(id, field));
                }
            }
            return null;
        });
        return updated;
    }

    /**
     * Deletes the installation with everything it owns in the platform's tables. Its object sync
     * schema, which tenants may query and keep, is dropped only when {@code dropData}.
     */
    public Deleted delete(TenantId tenant, UUID id, boolean dropData) {
        Deleted deleted = tx.executeWrite(s -> {
            Installation current = installations.findForUpdate(tenant, id).orElseThrow(() -> notFound(id));
            String retained = objectSync.delete(current, dropData);
            installations.delete(tenant, id);
            for (String field : current.secretFields()) {
                secrets.delete(tenant, secretName(id, field));
            }
            return new Deleted(retained);
        });
        contexts.forget(id);
        return deleted;
    }

    public Installation setStatus(TenantId tenant, UUID id, Installation.Status status) {
        return tx.executeWrite(s -> {
            Installation current = installations.findForUpdate(tenant, id).orElseThrow(() -> notFound(id));
            Installation updated = current.withStatus(status, now());
            installations.update(tenant, updated);
            return updated;
        });
    }

    /** Re-runs the connection check of a stored installation and records the outcome. */
    public Installation.CheckRecord check(TenantId tenant, UUID id) {
        Installation current = get(tenant, id);
        ConnectorEntry entry = usable(registry.require(current.connector()));
        Installation.CheckRecord record = runCheck(sessions.forInstallation(entry, current));
        tx.executeWrite(s -> {
            installations.findForUpdate(tenant, id).ifPresent(locked -> installations.update(tenant,
                    new Installation(locked.id(), tenant, locked.connector(), locked.name(), locked.variant(),
                            locked.deliveryMode(), locked.status(), locked.config(), locked.secretFields(), record,
                            locked.createdAt(), locked.updatedAt())));
            return null;
        });
        return record;
    }

    /** The config as API responses show it: secret fields replaced by {@link #SECRET_PLACEHOLDER}. */
    public static ObjectNode redacted(Installation installation) {
        ObjectNode out = installation.config().deepCopy();
        installation.secretFields().forEach(f -> out.set(f, JSON.valueToTree(SECRET_PLACEHOLDER)));
        return out;
    }

    private Installation.CheckRecord runCheck(ConnectorSession session) {
        Set<String> secretValues = session.secretValues();
        try {
            CheckResult r = session.check();
            return new Installation.CheckRecord(r.succeeded(), r.code(), r.message(), now(), r.details());
        } catch (RetriableConnectorException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "connection-check-unavailable", "Connection check could not run",
                    Masking.mask(e.getMessage(), secretValues) + ". Try again later, or skip the check with ?check=false.",
                    List.of(), e.code(), null);
        } catch (PermanentConnectorException e) {
            return new Installation.CheckRecord(false, e.code(),
                    Masking.mask(e.getMessage(), secretValues), now(), Map.of());
        } catch (ConnectorException e) {
            throw new IllegalStateException(e); // sealed: only the two kinds above exist
        }
    }

    private static Installation.CheckRecord requirePassing(Installation.CheckRecord r) {
        if (!r.succeeded()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "connection-check-failed", "Connection check failed",
                    r.message(), List.of(), r.code(), r.details());
        }
        return r;
    }

    private static String name(String requested, String fallback, List<Problem.FieldError> errors) {
        String name = requested == null || requested.isBlank() ? fallback : requested.strip();
        if (name.length() > 200) {
            errors.add(Problem.FieldError.body("/name", "must be at most 200 characters"));
        }
        return name;
    }

    private static String deliveryMode(ConnectorEntry entry, String requested, List<Problem.FieldError> errors) {
        Set<DeliveryMode> supported = entry.descriptor().deliveryModes();
        if (requested == null) {
            return (supported.contains(DeliveryMode.SERVER_SIDE) ? DeliveryMode.SERVER_SIDE : supported.iterator().next()).wireName();
        }
        List<String> names = supported.stream().map(DeliveryMode::wireName).toList();
        if (!names.contains(requested.toLowerCase(Locale.ROOT))) {
            errors.add(Problem.FieldError.body("/delivery_mode", "unsupported delivery mode; " + entry.slug() + " supports " + names));
        }
        return requested.toLowerCase(Locale.ROOT);
    }

    private static ConnectorEntry usable(ConnectorEntry entry) {
        entry.disabledReason().ifPresent(reason -> {
            throw new ConnectorUnavailableException(entry.slug(), reason);
        });
        return entry;
    }

    static String secretName(UUID installation, String field) {
        return SecretService.INSTALLATION_PREFIX + installation + "." + field;
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("Installation " + id);
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
