package dev.junction.platform.cohort;

import dev.junction.platform.db.Jdbc;
import dev.junction.platform.tenancy.TenantId;
import jakarta.inject.Singleton;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Cohort members. A full snapshot is streamed with PostgreSQL COPY into a temporary table and then
 * replaces the cohort's members in the same transaction, so an upload of any size never sits in
 * memory and readers see either the old or the new membership.
 */
@Singleton
class CohortMemberRepository {

    private static final int COPY_BUFFER = 64 * 1024;

    private final Jdbc jdbc;

    CohortMemberRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces the members with {@code rows} (a later row wins over an earlier one with the same key); returns the count. */
    long replace(TenantId tenant, UUID cohort, Iterator<MemberRow> rows) {
        return jdbc.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE upload_member (seq bigint, member_key text, user_id text, email text, "
                        + "email_norm text, email_valid boolean, first_name text, last_name text, traits jsonb) ON COMMIT DROP");
            }
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY upload_member FROM STDIN (FORMAT csv)");
            try {
                StringBuilder buffer = new StringBuilder(COPY_BUFFER + 4096);
                long seq = 0;
                while (rows.hasNext()) {
                    MemberRow r = rows.next();
                    buffer.append(++seq).append(',').append(csv(r.memberKey())).append(',').append(csv(r.userId())).append(',')
                            .append(csv(r.email())).append(',').append(csv(r.emailNorm())).append(',').append(r.emailValid())
                            .append(',').append(csv(r.firstName())).append(',').append(csv(r.lastName()))
                            .append(',').append(csv(r.traitsJson())).append('\n');
                    if (buffer.length() >= COPY_BUFFER) {
                        write(copy, buffer);
                    }
                }
                write(copy, buffer);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            Jdbc.executeUpdate(c, "DELETE FROM cohort_member WHERE tenant_id = ? AND cohort_id = ?", tenant.value(), cohort);
            return (long) Jdbc.executeUpdate(c, """
                    INSERT INTO cohort_member (tenant_id, cohort_id, member_key, user_id, email, email_norm, email_valid, first_name,
                                               last_name, traits)
                    SELECT DISTINCT ON (member_key) ?, ?, member_key, user_id, email, email_norm, email_valid, first_name, last_name,
                           coalesce(traits, '{}')
                    FROM upload_member ORDER BY member_key, seq DESC""", tenant.value(), cohort);
        });
    }

    /** Adds or updates members. */
    void upsert(TenantId tenant, UUID cohort, List<MemberRow> rows) {
        for (MemberRow r : rows) {
            jdbc.update("""
                    INSERT INTO cohort_member (tenant_id, cohort_id, member_key, user_id, email, email_norm, email_valid, first_name,
                                               last_name, traits)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                    ON CONFLICT (tenant_id, cohort_id, member_key) DO UPDATE SET user_id = EXCLUDED.user_id, email = EXCLUDED.email,
                        email_norm = EXCLUDED.email_norm, email_valid = EXCLUDED.email_valid, first_name = EXCLUDED.first_name,
                        last_name = EXCLUDED.last_name, traits = EXCLUDED.traits""",
                    tenant.value(), cohort, r.memberKey(), r.userId(), r.email(), r.emailNorm(), r.emailValid(), r.firstName(),
                    r.lastName(), r.traitsJson());
        }
    }

    /** Removes members by user id or by (normalised) e-mail; returns how many went. */
    int remove(TenantId tenant, UUID cohort, List<String> userIds, List<String> emails) {
        // joined with unnest(): a large array as an = ANY filter is a linear scan per member
        return jdbc.withConnection(c -> Jdbc.executeUpdate(c, """
                DELETE FROM cohort_member m USING unnest(?::text[]) AS u(user_id)
                WHERE m.tenant_id = ? AND m.cohort_id = ? AND m.member_key = u.user_id""",
                c.createArrayOf("text", userIds.toArray()), tenant.value(), cohort)
                + Jdbc.executeUpdate(c, """
                DELETE FROM cohort_member m USING unnest(?::text[]) AS e(email)
                WHERE m.tenant_id = ? AND m.cohort_id = ? AND m.email_norm = e.email""",
                c.createArrayOf("text", emails.toArray()), tenant.value(), cohort));
    }

    private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
        if (buffer.length() > 0) {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }
    }

    /** A CSV field for COPY: unquoted empty is NULL, quoted is a string. */
    private static String csv(String v) {
        return v == null ? "" : '"' + v.replace("\"", "\"\"") + '"';
    }
}
