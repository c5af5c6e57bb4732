package dev.junction.platform.cohort;

import dev.junction.platform.installation.ConnectorSessions;
import dev.junction.platform.PlatformJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.junction.platform.installation.Installation;
import dev.junction.platform.installation.InstallationService;
import dev.junction.platform.plugin.ConnectorEntry;
import dev.junction.platform.plugin.ConnectorRegistry;
import dev.junction.platform.tenancy.TenantId;
import dev.junction.platform.web.ApiException;
import dev.junction.platform.web.Cursor;
import dev.junction.platform.web.Page;
import dev.junction.platform.web.Problem;
import dev.junction.spi.Capability;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.SettingProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Cohort syncs of installations and their runs. */
@Singleton
public class CohortSyncService {

    /** Member fields a mapping may name: the standard ones, or a trait name. */
    static final String FIELD_PATTERN = "^[A-Za-z_][A-Za-z0-9_.-]{0,99}$";
    private static final ObjectMapper JSON = PlatformJson.MAPPER;

    private final CohortSyncRepository syncs;
    private final CohortSyncRunRepository runs;
    private final CohortService cohorts;
    private final InstallationService installations;
    private final ConnectorRegistry registry;
    private final ConnectorSessions sessions;
    private final TransactionOperations<Connection> tx;
    private final Clock clock;
    private final CohortSyncRunner runner;

    CohortSyncService(CohortSyncRepository syncs, CohortSyncRunRepository runs, CohortService cohorts, InstallationService installations,
                ConnectorRegistry registry, ConnectorSessions sessions, TransactionOperations<Connection> tx, Clock clock,
                CohortSyncRunner runner) {
        this.syncs = syncs;
        this.runs = runs;
        this.cohorts = cohorts;
        this.installations = installations;
        this.registry = registry;
        this.sessions = sessions;
        this.tx = tx;
        this.clock = clock;
        this.runner = runner;
    }

    /** A sync to create. */
    public record CreateCommand(@Nullable String cohortKey, @Nullable Map<String, String> mapping, @Nullable String cadence,
                                @Nullable String listName) { }

    public CohortSyncDefinition create(TenantId tenant, UUID installationId, CreateCommand cmd) {
        Installation installation = installations.get(tenant, installationId);
        ConnectorEntry entry = registry.require(installation.connector());
        CohortSync capability = entry.capability(Capability.COHORT_SYNC, CohortSync.class).orElseThrow(() ->
                ApiException.unprocessable("no-cohort-sync", "Cannot sync cohorts", "The " + installation.connector()
                        + " integration does not sync cohorts"));
        List<Problem.FieldError> errors = new ArrayList<>();
        Cohort cohort = null;
        if (cmd.cohortKey() == null) {
            errors.add(Problem.FieldError.body("/cohort_key", "is required"));
        } else {
            try {
                cohort = cohorts.get(tenant, cmd.cohortKey());
            } catch (ApiException e) {
                errors.add(Problem.FieldError.body("/cohort_key", "no cohort with this key"));
            }
        }
        Map<String, String> mapping = cmd.mapping() == null ? Map.of() : new LinkedHashMap<>(cmd.mapping());
        if (cmd.mapping() == null) {
            errors.add(Problem.FieldError.body("/mapping", "is required, e.g. {\"email\":\"email\",\"first_name\":\"first_name\",\"last_name\":\"last_name\"}"));
        } else if (!"email".equals(mapping.get("email"))) {
            errors.add(Problem.FieldError.body("/mapping/email", "must be \"email\": members are synced by their e-mail"));
        }
        mapping.forEach((vendorField, memberField) -> {
            if (memberField == null || !memberField.matches(FIELD_PATTERN)) {
                errors.add(Problem.FieldError.body("/mapping/" + vendorField, "must name a member field or trait"));
            }
        });
        Cadence cadence = null;
        try {
            cadence = Cadence.parse(cmd.cadence());
        } catch (IllegalArgumentException e) {
            errors.add(Problem.FieldError.body("/cadence", e.getMessage()));
        }
        String listName = cmd.listName() != null ? cmd.listName().strip() : cohort != null ? cohort.name() : "";
        if (cmd.listName() != null && listName.isEmpty()) {
            errors.add(Problem.FieldError.body("/list_name", "must not be blank"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        UUID id = UUID.randomUUID();
        CohortSyncSettings settings = new CohortSyncSettings(id.toString(), cohort.key(), listName, mapping);
        List<SettingProblem> problems;
        try {
            problems = sessions.forInstallation(entry, installation)
                    .invoke("cohort sync validate", context -> capability.validate(context.config(), settings));
        } catch (ConnectorException e) {
            throw ApiException.unprocessable("invalid-sync", "Invalid sync", e.getMessage());
        }
        if (problems != null && !problems.isEmpty()) {
            throw ApiException.invalid(problems.stream()
                    .map(p -> Problem.FieldError.body("/" + p.field().replace('.', '/'), p.message())).toList());
        }
        Instant now = now();
        CohortSyncDefinition sync = new CohortSyncDefinition(tenant, id, installationId, cohort.id(), listName, mapping, cadence.text(),
                cadence.nextAfter(now).orElse(null), now, now);
        tx.executeWrite(s -> {
            syncs.insert(tenant, sync);
            return null;
        });
        return sync;
    }

    public CohortSyncDefinition get(TenantId tenant, UUID installationId, UUID id) {
        installations.get(tenant, installationId);
        return tx.executeRead(s -> syncs.find(tenant, installationId, id)).orElseThrow(() -> ApiException.notFound("Cohort sync " + id));
    }

    public List<CohortSyncDefinition> list(TenantId tenant, UUID installationId) {
        installations.get(tenant, installationId);
        return tx.executeRead(s -> syncs.list(tenant, installationId));
    }

    public void delete(TenantId tenant, UUID installationId, UUID id) {
        installations.get(tenant, installationId);
        if (!tx.executeWrite(s -> syncs.delete(tenant, installationId, id))) {
            throw ApiException.notFound("Cohort sync " + id);
        }
    }

    /** Queues a run now (joining an already queued one), and nudges this replica's worker. */
    public CohortSyncRunRecord requestRun(TenantId tenant, UUID installationId, UUID syncId) {
        get(tenant, installationId, syncId);
        CohortSyncRunRecord run = enqueue(tenant, syncId, "manual");
        runner.wake();
        return run;
    }

    CohortSyncRunRecord enqueue(TenantId tenant, UUID syncId, String trigger) {
        return tx.executeWrite(s -> runs.findQueued(tenant, syncId).orElseGet(() -> {
            UUID id = UUID.randomUUID();
            runs.insertQueued(tenant, id, syncId, trigger, now());
            return runs.find(tenant, syncId, id).orElseThrow();
        }));
    }

    public Page<CohortSyncRunRecord> runs(TenantId tenant, UUID installationId, UUID syncId, @Nullable String cursor, int limit) {
        get(tenant, installationId, syncId);
        Cursor.CreatedAndId before = Cursor.CreatedAndId.read(cursor);
        return Page.ofOverfetched(tx.executeRead(s -> runs.list(tenant, syncId, before == null ? null : before.createdAt(), before == null ? null : before.id(), limit + 1)), limit,
                r -> new Cursor.CreatedAndId(r.createdAt(), r.id()).cursor());
    }

    public CohortSyncRunRecord run(TenantId tenant, UUID installationId, UUID syncId, UUID runId) {
        get(tenant, installationId, syncId);
        return tx.executeRead(s -> runs.find(tenant, syncId, runId)).orElseThrow(() -> ApiException.notFound("Run " + runId));
    }

    /** When the last cohort sync run of the installation succeeded (in full or in part). */
    public Optional<Instant> lastSucceeded(TenantId tenant, UUID installationId) {
        return tx.executeRead(s -> runs.lastSucceeded(tenant, installationId));
    }

    /** Who the vendor refused in a run, and why, by e-mail. */
    public Page<String[]> rejections(TenantId tenant, UUID installationId, UUID syncId, UUID runId, @Nullable String cursor, int limit) {
        run(tenant, installationId, syncId, runId);
        String afterEmail = Cursor.readText(cursor);
        return Page.ofOverfetched(tx.executeRead(s -> runs.rejections(tenant, runId, afterEmail, limit + 1)), limit, r -> Cursor.of(r[0]));
    }


    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }
}
