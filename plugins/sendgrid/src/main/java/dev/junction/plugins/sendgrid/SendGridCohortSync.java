package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorConfig;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.Pause;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.SettingChecks;
import dev.junction.spi.cohort.SettingProblem;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keeps a SendGrid Marketing list equal to a Junction cohort ({@code cohort_sync}).
 *
 * <p>A run finds the sync's list (its id is kept in the installation's state; otherwise an existing
 * list with the sync's name is adopted or a new one created), upserts the additions into it with
 * {@code PUT /v3/marketing/contacts} in requests within SendGrid's limits, follows each import job
 * to its end and reports every member accepted or rejected, then removes the removals from the list
 * (never from the account) with {@code DELETE /v3/marketing/lists/{id}/contacts}. Every SendGrid call
 * is idempotent, so a run that is redone after a crash is safe. See plugins/sendgrid/README.md.
 */
@Extension
public final class SendGridCohortSync implements CohortSync {

    /** The longest list name this connector accepts (SendGrid's API itself takes up to 100). */
    static final int MAX_LIST_NAME_LENGTH = 85;
    /** The fields SendGrid's own integrations require a mapping for, and the only ones synced. */
    static final List<String> MAPPED_FIELDS = List.of("email", "first_name", "last_name");

    private final Pause pause;

    /** The extension the platform creates: waits really sleep. */
    public SendGridCohortSync() {
        this(Pause.system());
    }

    SendGridCohortSync(Pause pause) {
        this.pause = pause;
    }

    @Override
    public List<SettingProblem> validate(ConnectorConfig config, CohortSyncSettings settings) {
        // SendGrid's own integrations require email, first_name and last_name
        List<SettingProblem> problems = new ArrayList<>(SettingChecks.listName(settings, "SendGrid", MAX_LIST_NAME_LENGTH));
        problems.addAll(SettingChecks.mapping(settings, "SendGrid", MAPPED_FIELDS, MAPPED_FIELDS));
        return problems;
    }

    @Override
    public void run(ConnectorContext context, CohortSyncRun run) throws ConnectorException {
        List<SettingProblem> problems = validate(context.config(), run.settings());
        if (!problems.isEmpty()) {  // the platform validates first; this guards against a stale sync
            throw new PermanentConnectorException("invalid_settings", problems.stream()
                    .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining(" ")));
        }
        new CohortRun(context, run, pause).execute();
    }
}
