package dev.junction.platform.tenant;

import dev.junction.platform.tenancy.TenantDirectory;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.ReadOnly;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creates, finds and deletes tenants. */
@Singleton
public class TenantService implements TenantDirectory {

    private final TenantRepository tenants;
    private final Clock clock;
    private final ApplicationEventPublisher<TenantDeleted> deleted;

    TenantService(TenantRepository tenants, Clock clock, ApplicationEventPublisher<TenantDeleted> deleted) {
        this.tenants = tenants;
        this.clock = clock;
        this.deleted = deleted;
    }

    @Transactional
    public Tenant create(String slug, String name) {
        Tenant tenant = new Tenant(new TenantId(UUID.randomUUID()), slug, name.strip(),
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS), Tenant.DEFAULT_EVENT_RETENTION_DAYS);
        if (!tenants.insert(tenant)) {
            throw ApiException.conflict("A tenant with slug '" + slug + "' already exists");
        }
        return tenant;
    }

    @ReadOnly
    public Optional<Tenant> findBySlug(String slug) {
        return tenants.findBySlug(slug);
    }

    @Override
    @ReadOnly
    public Optional<TenantId> idOfSlug(String slug) {
        return tenants.findBySlug(slug).map(Tenant::id);
    }

    @ReadOnly
    @Override
    public Map<TenantId, Integer> eventRetentionDays() {
        return tenants.eventRetentionDays();
    }

    public Optional<Tenant> findById(TenantId id) {
        return tenants.findById(id.value());
    }

    @ReadOnly
    public Page<Tenant> list(@Nullable String cursor, int limit) {
        return Page.ofOverfetched(tenants.list(Cursor.readText(cursor), limit + 1), limit, t -> Cursor.of(t.slug()));
    }

    /** Changes a tenant's name and/or event retention; null keeps the value. */
    @Transactional
    public Tenant update(String slug, @Nullable String name, @Nullable Integer eventRetentionDays) {
        Tenant t = tenants.findBySlug(slug).orElseThrow(() -> ApiException.notFound("Tenant '" + slug + "'"));
        Tenant updated = new Tenant(t.id(), t.slug(), name == null ? t.name() : name.strip(), t.createdAt(),
                eventRetentionDays == null ? t.eventRetentionDays() : eventRetentionDays);
        tenants.update(updated);
        return updated;
    }

    /**
     * Deletes the tenant and everything it owns: rows referencing it go by cascade, and features
     * holding tenant data without a foreign key (the event log) delete theirs on {@link TenantDeleted}.
     */
    @Transactional
    public void delete(String slug) {
        Tenant t = tenants.findBySlug(slug).orElseThrow(() -> ApiException.notFound("Tenant '" + slug + "'"));
        deleted.publishEvent(new TenantDeleted(t.id()));
        tenants.delete(slug);
    }

    /** Published inside the deleting transaction. */
    public record TenantDeleted(TenantId tenant) { }
}
