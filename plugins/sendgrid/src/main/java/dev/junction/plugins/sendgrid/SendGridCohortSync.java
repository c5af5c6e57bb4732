package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorConfig;
import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.RetriableConnectorException;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.SettingProblem;
import org.pf4j.Extension;

import java.time.Duration;
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

    /** How a run waits between polls of a SendGrid job (tests pass one that does not sleep). */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;

        /** Sleeps; an interruption ends the operation with a retriable failure. */
        default void await(Duration duration) throws RetriableConnectorException {
            try {
                sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableConnectorException("interrupted", "Interrupted while waiting for SendGrid", null,
                        null, e);
            }
        }
    }

    private final Pause pause;

    /** The extension the platform creates: waits really sleep. */
    public SendGridCohortSync() {
        this(d -> Thread.sleep(d.toMillis()));
    }

    SendGridCohortSync(Pause pause) {
        this.pause = pause;
    }

    @Override
    public List<SettingProblem> validate(ConnectorConfig config, CohortSyncSettings settings) {
        List<SettingProblem> problems = new ArrayList<>();
        String name = settings.listName();
        if (name == null || name.isBlank()) {
            problems.add(new SettingProblem("list_name", "Name the SendGrid list to keep equal to the cohort."));
        } else if (name.codePointCount(0, name.length()) > MAX_LIST_NAME_LENGTH) {
            problems.add(new SettingProblem("list_name", "SendGrid list names may be at most " + MAX_LIST_NAME_LENGTH
                    + " characters; this one has " + name.codePointCount(0, name.length()) + "."));
        } else if (!name.equals(name.strip())) {
            // lists are found again by exact name; a name SendGrid might trim would never match
            problems.add(new SettingProblem("list_name", "The list name must not start or end with spaces."));
        }
        for (String field : MAPPED_FIELDS) {
            String trait = settings.mapping().get(field);
            if (trait == null || trait.isBlank()) {
                problems.add(new SettingProblem("mapping." + field, "Map SendGrid's " + field + " to a member trait: "
                        + "SendGrid's own integrations require email, first_name and last_name."));
            }
        }
        for (String field : settings.mapping().keySet()) {
            if (!MAPPED_FIELDS.contains(field)) {
                problems.add(new SettingProblem("mapping." + field, "SendGrid field " + field + " is not synced: this "
                        + "connector syncs email, first_name and last_name only."));
            }
        }
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
