package dev.junction.platform.tenant;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The tenant registry itself: the one repository that is not scoped by a tenant. */
@Singleton
class TenantRepository {

    private static final String COLUMNS = "id, slug, name, created_at, event_retention_days";

    private final Jdbc jdbc;

    TenantRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the tenant unless the slug is taken; returns whether it was inserted. */
    boolean insert(Tenant t) {
        return jdbc.update("INSERT INTO tenant (id, slug, name, created_at, event_retention_days) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (slug) DO NOTHING", t.id().value(), t.slug(), t.name(), t.createdAt(), t.eventRetentionDays()) == 1;
    }

    void update(Tenant t) {
        jdbc.update("UPDATE tenant SET name = ?, event_retention_days = ? WHERE id = ?", t.name(), t.eventRetentionDays(),
                t.id().value());
    }

    Optional<Tenant> findBySlug(String slug) {
        return jdbc.one("SELECT " + COLUMNS + " FROM tenant WHERE slug = ?", TenantRepository::map, slug);
    }

    Optional<Tenant> findById(UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM tenant WHERE id = ?", TenantRepository::map, id);
    }

    /** Tenants ordered by slug, strictly after {@code afterSlug} when given. */
    Map<TenantId, Integer> eventRetentionDays() {
        Map<TenantId, Integer> days = new LinkedHashMap<>();
        jdbc.list("SELECT id, event_retention_days FROM tenant ORDER BY id",
                        rs -> Map.entry(new TenantId(rs.getObject(1, UUID.class)), rs.getInt(2)))
                .forEach(e -> days.put(e.getKey(), e.getValue()));
        return days;
    }

    List<Tenant> list(String afterSlug, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM tenant WHERE (?::text IS NULL OR slug > ?) ORDER BY slug LIMIT ?",
                TenantRepository::map, afterSlug, afterSlug, limit);
    }

    /** Deletes the tenant; its data goes with it through ON DELETE CASCADE foreign keys. */
    boolean delete(String slug) {
        return jdbc.update("DELETE FROM tenant WHERE slug = ?", slug) == 1;
    }

    private static Tenant map(ResultSet rs) throws SQLException {
        return new Tenant(new TenantId(rs.getObject("id", UUID.class)), rs.getString("slug"),
                rs.getString("name"), Jdbc.instant(rs, "created_at"), rs.getInt("event_retention_days"));
    }
}
