package dev.junction.platform.cohort;

import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.io.InputStream;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Cohorts and their membership. */
@Singleton
class CohortService {

    /** Most members one incremental add or remove call takes. */
    public static final int MAX_INCREMENTAL = 10_000;

    private final CohortRepository cohorts;
    private final CohortMemberRepository members;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    CohortService(CohortRepository cohorts, CohortMemberRepository members, TransactionOperations<Connection> tx, Clock clock) {
        this.cohorts = cohorts;
        this.members = members;
        this.tx = tx;
        this.clock = clock;
    }

    public Cohort create(TenantId tenant, String key, String name) {
        Instant now = now();
        Cohort c = new Cohort(tenant, UUID.randomUUID(), key, name.strip(), 0, now, now);
        if (!tx.executeWrite(s -> cohorts.insert(tenant, c))) {
            throw ApiException.conflict("A cohort with key '" + key + "' already exists");
        }
        return c;
    }

    public Cohort get(TenantId tenant, String key) {
        return tx.executeRead(s -> cohorts.find(tenant, key)).orElseThrow(() -> notFound(key));
    }

    public Cohort get(TenantId tenant, UUID id) {
        return tx.executeRead(s -> cohorts.findById(tenant, id)).orElseThrow(() -> ApiException.notFound("Cohort " + id));
    }

    public Page<Cohort> list(TenantId tenant, @Nullable String cursor, int limit) {
        String after = Cursor.readText(cursor);
        return Page.ofOverfetched(tx.executeRead(s -> cohorts.list(tenant, after, limit + 1)), limit, c -> Cursor.of(c.key()));
    }

    public void delete(TenantId tenant, String key) {
        if (!tx.executeWrite(s -> cohorts.delete(tenant, key))) {
            throw notFound(key);
        }
    }

    /** What an upload did. */
    public record UploadReport(long members, long acceptedLines, long badLines, List<MemberParser.LineError> errors) { }

    /**
     * Replaces the membership with a snapshot streamed from {@code body} (NDJSON or CSV), in one
     * transaction: readers and syncs see the old or the new membership, never a mix.
     */
    public UploadReport replaceMembers(TenantId tenant, String key, String contentType, InputStream body) {
        MemberParser parser = MemberParser.of(contentType, body);
        long count = tx.executeWrite(s -> {
            Cohort c = cohorts.lock(tenant, key).orElseThrow(() -> notFound(key));
            long n = members.replace(tenant, c.id(), parser);
            cohorts.refreshCount(tenant, c.id(), now());
            return n;
        });
        return new UploadReport(count, parser.goodLines(), parser.badLines(), parser.errors());
    }

    /** Adds or updates up to {@value #MAX_INCREMENTAL} members; returns the report and the new count. */
    public UploadReport addMembers(TenantId tenant, String key, List<Map<String, Object>> memberFields) {
        checkSize(memberFields.size());
        List<MemberRow> rows = new ArrayList<>();
        List<MemberParser.LineError> errors = new ArrayList<>();
        for (int i = 0; i < memberFields.size(); i++) {
            try {
                rows.add(MemberParser.toRow(memberFields.get(i)));
            } catch (IllegalArgumentException e) {
                if (errors.size() < MemberParser.MAX_REPORTED_ERRORS) {
                    errors.add(new MemberParser.LineError(i, e.getMessage()));
                }
            }
        }
        Cohort after = tx.executeWrite(s -> {
            Cohort c = cohorts.lock(tenant, key).orElseThrow(() -> notFound(key));
            members.upsert(tenant, c.id(), rows);
            cohorts.refreshCount(tenant, c.id(), now());
            return cohorts.find(tenant, key).orElseThrow();
        });
        return new UploadReport(after.memberCount(), rows.size(), memberFields.size() - rows.size(), errors);
    }

    /** Removes members named by {@code user_id} or {@code email}; returns how many were removed. */
    public int removeMembers(TenantId tenant, String key, List<Map<String, Object>> memberFields) {
        checkSize(memberFields.size());
        List<String> userIds = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (Map<String, Object> m : memberFields) {
            if (m.get("user_id") != null) {
                userIds.add(String.valueOf(m.get("user_id")));
            } else if (m.get("email") instanceof String e) {
                emails.add(EmailRules.normalise(e));
            }
        }
        return tx.executeWrite(s -> {
            Cohort c = cohorts.lock(tenant, key).orElseThrow(() -> notFound(key));
            int n = members.remove(tenant, c.id(), userIds, emails);
            cohorts.refreshCount(tenant, c.id(), now());
            return n;
        });
    }

    private static void checkSize(int n) {
        if (n > MAX_INCREMENTAL) {
            throw ApiException.invalid("/members", "at most " + MAX_INCREMENTAL + " members per call; upload a full snapshot "
                    + "with PUT .../members for more");
        }
    }

    private static ApiException notFound(String key) {
        return ApiException.notFound("Cohort '" + key + "'");
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
