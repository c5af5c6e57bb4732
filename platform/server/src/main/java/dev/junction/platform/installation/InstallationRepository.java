package dev.junction.platform.installation;

import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Installations, always of one tenant. */
@Singleton
class InstallationRepository {

    private static final ObjectMapper JSON = PlatformJson.MAPPER;
    private static final String COLUMNS = "id, tenant_id, connector, name, variant, delivery_mode, status, config::text AS config, "
            + "secret_fields, last_check::text AS last_check, created_at, updated_at";

    private final Jdbc jdbc;

    InstallationRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TenantId tenant, Installation i) {
        jdbc.withConnection(c -> {
            Array secretFields = c.createArrayOf("text", i.secretFields().toArray());
            return Jdbc.executeUpdate(c, """
                    INSERT INTO installation (id, tenant_id, connector, name, variant, delivery_mode, status, config,
                                              secret_fields, last_check, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?)""",
                    i.id(), tenant.value(), i.connector(), i.name(), i.variant(), i.deliveryMode(),
                    i.status().name().toLowerCase(Locale.ROOT), write(i.config()), secretFields, write(i.lastCheck()),
                    i.createdAt(), i.updatedAt());
        });
    }

    void update(TenantId tenant, Installation i) {
        jdbc.withConnection(c -> {
            Array secretFields = c.createArrayOf("text", i.secretFields().toArray());
            return Jdbc.executeUpdate(c, """
                    UPDATE installation SET name = ?, delivery_mode = ?, status = ?, config = ?::jsonb, secret_fields = ?,
                           last_check = ?::jsonb, updated_at = ?
                    WHERE tenant_id = ? AND id = ?""",
                    i.name(), i.deliveryMode(), i.status().name().toLowerCase(Locale.ROOT), write(i.config()), secretFields,
                    write(i.lastCheck()), i.updatedAt(), tenant.value(), i.id());
        });
    }

    List<InstallationService.ServerSide> serverSide(TenantId tenant) {
        return jdbc.list("SELECT id, connector FROM installation WHERE tenant_id = ? AND status = 'enabled' AND delivery_mode = 'server_side'",
                rs -> new InstallationService.ServerSide(rs.getObject(1, UUID.class), rs.getString(2)), tenant.value());
    }

    Optional<Installation> find(TenantId tenant, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM installation WHERE tenant_id = ? AND id = ?",
                InstallationRepository::map, tenant.value(), id);
    }

    /** Locks the row until the transaction ends (concurrent PATCHes serialise). */
    Optional<Installation> findForUpdate(TenantId tenant, UUID id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM installation WHERE tenant_id = ? AND id = ? FOR UPDATE",
                InstallationRepository::map, tenant.value(), id);
    }

    /** Keyset page by (created_at, id). */
    List<Installation> list(TenantId tenant, Instant afterCreated, UUID afterId, String connector, int limit) {
        return jdbc.list("SELECT " + COLUMNS + " FROM installation WHERE tenant_id = ? "
                        + "AND (?::timestamptz IS NULL OR (created_at, id) > (?::timestamptz, ?::uuid)) "
                        + "AND (?::text IS NULL OR connector = ?) ORDER BY created_at, id LIMIT ?",
                InstallationRepository::map, tenant.value(), afterCreated, afterCreated, afterId, connector, connector, limit);
    }

    boolean delete(TenantId tenant, UUID id) {
        return jdbc.update("DELETE FROM installation WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
    }

    private static Installation map(ResultSet rs) throws SQLException {
        String[] secrets = (String[]) rs.getArray("secret_fields").getArray();
        return new Installation(rs.getObject("id", UUID.class), new TenantId(rs.getObject("tenant_id", UUID.class)),
                rs.getString("connector"), rs.getString("name"), rs.getString("variant"), rs.getString("delivery_mode"),
                Installation.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                (ObjectNode) read(rs.getString("config")), Set.of(secrets),
                readCheck(rs.getString("last_check")), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }

    private static Installation.CheckRecord readCheck(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Installation.CheckRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable last_check", e);
        }
    }

    private static Object read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable config", e);
        }
    }

    private static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
