package dev.junction.platform.cohort;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The synced state of a sync and the difference of a run, in SQL: the cohort's members are mapped,
 * normalised (trimmed, lower-cased e-mail), filtered (no e-mail, invalid e-mail) and merged by
 * e-mail, then compared with what the vendor list holds according to earlier runs. The result is
 * written to {@code cohort_run_item} and read back in pages; nothing is held in memory.
 */
@Singleton
class CohortSyncStateRepository {

    /** One item of a run's difference. */
    record Item(String email, boolean isNew, String userId, String firstName, String lastName) { }

    private final Jdbc jdbc;

    CohortSyncStateRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The mapped members: the e-mail as normalised and checked on write ({@link EmailRules}), and
     * {@code first_name}, {@code last_name} from the member fields the mapping names (a standard
     * field or a trait); blank names count as unset.
     */
    private static final String MAPPED = """
            SELECT m.member_key, m.user_id, m.email_norm AS email, m.email_valid AS valid,
                   nullif(btrim(%1$s), '') AS first_name,
                   nullif(btrim(%2$s), '') AS last_name
            FROM cohort_member m WHERE m.tenant_id = ? AND m.cohort_id = ?""".formatted(field(), field());


    private static String field() {
        return "CASE ? WHEN 'email' THEN m.email WHEN 'first_name' THEN m.first_name WHEN 'last_name' THEN m.last_name "
                + "WHEN 'user_id' THEN m.user_id ELSE m.traits ->> ? END";
    }

    private static Object[] mappedParams(TenantId tenant, UUID cohort, Map<String, String> mapping) {
        String f = mapping.get("first_name");
        String l = mapping.get("last_name");
        return new Object[]{f, f, l, l, tenant.value(), cohort};
    }

    /** What a run found: the census of the cohort and the size of the difference. */
    record Difference(RunCounts census, long additions, long removals, long distinctValid) { }

    /**
     * Maps the cohort once into a temporary table (with each e-mail checked once), takes the
     * census from it, merges duplicates into a second temporary table indexed by e-mail, and writes
     * the difference against the synced state into cohort_run_item. Must run in one transaction
     * (the temporary tables live until its commit).
     */
    Difference computeDifference(TenantId tenant, UUID sync, UUID run, UUID cohort, Map<String, String> mapping) {
        jdbc.update("DELETE FROM cohort_run_item WHERE tenant_id = ? AND run_id = ?", tenant.value(), run);
        jdbc.update("DROP TABLE IF EXISTS run_member, run_desired");
        jdbc.update("CREATE TEMP TABLE run_member ON COMMIT DROP AS " + MAPPED, mappedParams(tenant, cohort, mapping));
        long[] c = jdbc.one("SELECT count(*), count(*) FILTER (WHERE coalesce(email, '') <> ''), "
                + "count(*) FILTER (WHERE coalesce(email, '') = ''), count(*) FILTER (WHERE email <> '' AND NOT valid), "
                + "count(*) FILTER (WHERE valid) FROM run_member",
                rs -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)}).orElseThrow();
        List<String> sample = jdbc.list("SELECT email FROM run_member WHERE email <> '' AND NOT valid ORDER BY email LIMIT 10",
                rs -> rs.getString(1));
        jdbc.update("""
                CREATE TEMP TABLE run_desired ON COMMIT DROP AS
                SELECT DISTINCT ON (email) email, user_id, first_name, last_name,
                       md5(coalesce(first_name, '') || chr(1) || coalesce(last_name, '')) AS fingerprint
                FROM run_member WHERE valid ORDER BY email, member_key""");
        jdbc.update("ALTER TABLE run_desired ADD PRIMARY KEY (email)");
        jdbc.update("ANALYZE run_desired");
        long distinct = jdbc.one("SELECT count(*) FROM run_desired", rs -> rs.getLong(1)).orElseThrow();
        long additions = jdbc.update("""
                INSERT INTO cohort_run_item (tenant_id, run_id, kind, email, is_new, user_id, first_name, last_name, fingerprint)
                SELECT ?, ?, 'add', d.email, s.email IS NULL, d.user_id, d.first_name, d.last_name, d.fingerprint
                FROM run_desired d LEFT JOIN cohort_sync_state s ON s.tenant_id = ? AND s.sync_id = ? AND s.email = d.email
                WHERE s.email IS NULL OR s.status <> 'synced' OR s.fingerprint <> d.fingerprint""",
                tenant.value(), run, tenant.value(), sync);
        long removals = jdbc.update("""
                INSERT INTO cohort_run_item (tenant_id, run_id, kind, email, is_new)
                SELECT ?, ?, 'remove', s.email, false FROM cohort_sync_state s
                WHERE s.tenant_id = ? AND s.sync_id = ? AND s.status = 'synced'
                  AND NOT EXISTS (SELECT 1 FROM run_desired d WHERE d.email = s.email)""",
                tenant.value(), run, tenant.value(), sync);
        // e-mails refused earlier and no longer wanted: nothing to remove, just forget them
        jdbc.update("DELETE FROM cohort_sync_state s WHERE s.tenant_id = ? AND s.sync_id = ? AND s.status = 'rejected' "
                + "AND NOT EXISTS (SELECT 1 FROM run_desired d WHERE d.email = s.email)", tenant.value(), sync);
        // the run reads these rows back by e-mail a batch at a time: without statistics for the rows
        // just written the planner takes a run of a million items for one row and scans them per batch
        if (additions + removals > 10_000) {
            jdbc.update("ANALYZE cohort_run_item");
            jdbc.update("ANALYZE cohort_sync_state");
        }
        RunCounts census = new RunCounts(c[0], c[1], c[2], c[3], sample, c[4] - distinct, 0, 0, 0, 0, 0, 0, 0, 0);
        return new Difference(census, additions, removals, distinct);
    }

    /** A page of the run's additions or removals, by e-mail after {@code afterEmail}. */
    List<Item> items(TenantId tenant, UUID run, String kind, String afterEmail, int limit) {
        return jdbc.list("SELECT email, is_new, user_id, first_name, last_name FROM cohort_run_item "
                        + "WHERE tenant_id = ? AND run_id = ? AND kind = ? AND email > ? ORDER BY email LIMIT ?",
                rs -> new Item(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                tenant.value(), run, kind, afterEmail, limit);
    }

    /** Marks e-mails of the run's additions as in the vendor list; returns {new, updated} counts. */
    long[] markSynced(TenantId tenant, UUID sync, UUID run, List<String> emails, Instant now) {
        return jdbc.withConnection(c -> {
            var array = c.createArrayOf("text", emails.toArray());
            long[] counts = new long[2];
            // joined with unnest(), not filtered with = ANY: a 30,000-element array as a filter is a linear scan per row
            try (var ps = Jdbc.prepare(c, "SELECT count(*) FILTER (WHERE i.is_new), count(*) FILTER (WHERE NOT i.is_new) "
                    + "FROM unnest(?::text[]) AS a(email) JOIN cohort_run_item i ON i.tenant_id = ? AND i.run_id = ? "
                    + "AND i.kind = 'add' AND i.email = a.email", array, tenant.value(), run);
                 var rs = ps.executeQuery()) {
                rs.next();
                counts[0] = rs.getLong(1);
                counts[1] = rs.getLong(2);
            }
            Jdbc.executeUpdate(c, """
                    INSERT INTO cohort_sync_state (tenant_id, sync_id, email, fingerprint, status, reason, updated_at)
                    SELECT ?, ?, i.email, i.fingerprint, 'synced', NULL, ?
                    FROM unnest(?::text[]) AS a(email)
                    JOIN cohort_run_item i ON i.tenant_id = ? AND i.run_id = ? AND i.kind = 'add' AND i.email = a.email
                    ON CONFLICT (tenant_id, sync_id, email) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = 'synced',
                        reason = NULL, updated_at = EXCLUDED.updated_at""",
                    tenant.value(), sync, now, array, tenant.value(), run);
            return counts;
        });
    }

    /** Records that the vendor refused an e-mail: it is retried next run. */
    void markRejected(TenantId tenant, UUID sync, UUID run, String email, String reason, Instant now) {
        jdbc.update("""
                INSERT INTO cohort_sync_state (tenant_id, sync_id, email, fingerprint, status, reason, updated_at)
                SELECT ?, ?, i.email, coalesce(i.fingerprint, ''), 'rejected', ?, ? FROM cohort_run_item i
                WHERE i.tenant_id = ? AND i.run_id = ? AND i.kind = 'add' AND i.email = ?
                ON CONFLICT (tenant_id, sync_id, email) DO UPDATE SET status = 'rejected', reason = EXCLUDED.reason,
                    updated_at = EXCLUDED.updated_at""", tenant.value(), sync, reason, now, tenant.value(), run, email);
    }

    /** Forgets e-mails removed from the vendor list; returns how many were this run's removals. */
    long markRemoved(TenantId tenant, UUID sync, UUID run, List<String> emails) {
        return jdbc.withConnection(c -> {
            var array = c.createArrayOf("text", emails.toArray());
            return (long) Jdbc.executeUpdate(c, "DELETE FROM cohort_sync_state s USING unnest(?::text[]) AS a(email) "
                    + "WHERE s.tenant_id = ? AND s.sync_id = ? AND s.email = a.email AND EXISTS (SELECT 1 FROM cohort_run_item i "
                    + "WHERE i.tenant_id = ? AND i.run_id = ? AND i.kind = 'remove' AND i.email = s.email)",
                    array, tenant.value(), sync, tenant.value(), run);
        });
    }

    /** Drops the run's difference once the run is over. */
    void dropItems(TenantId tenant, UUID run) {
        jdbc.update("DELETE FROM cohort_run_item WHERE tenant_id = ? AND run_id = ?", tenant.value(), run);
    }

    private static Object[] concat(Object[] head, Object... tail) {
        Object[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

}
