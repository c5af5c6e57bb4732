package dev.junction.plugins.klaviyo;

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
 * Keeps a Klaviyo list equal to a Junction cohort ({@code cohort_sync}), see {@link CohortRun} and
 * plugins/klaviyo/README.md.
 */
@Extension
public final class KlaviyoCohortSync implements CohortSync {

    /** The profile fields synced; e-mail is required. */
    static final List<String> MAPPED_FIELDS = List.of("email", "first_name", "last_name");
    /** Klaviyo's spec gives no maximum for list names; this connector keeps them readable and short. */
    static final int MAX_LIST_NAME_LENGTH = 100;

    /** How a run waits between polls of a Klaviyo job (tests pass one that does not sleep). */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;

        default void await(Duration duration) throws RetriableConnectorException {
            try {
                sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableConnectorException("interrupted", "Interrupted while waiting for Klaviyo", null, null, e);
            }
        }
    }

    private final Pause pause;

    public KlaviyoCohortSync() {
        this(d -> Thread.sleep(d.toMillis()));
    }

    KlaviyoCohortSync(Pause pause) {
        this.pause = pause;
    }

    @Override
    public List<SettingProblem> validate(ConnectorConfig config, CohortSyncSettings settings) {
        List<SettingProblem> problems = new ArrayList<>();
        String name = settings.listName();
        if (name == null || name.isBlank()) {
            problems.add(new SettingProblem("list_name", "Name the Klaviyo list to keep equal to the cohort."));
        } else if (name.codePointCount(0, name.length()) > MAX_LIST_NAME_LENGTH) {
            problems.add(new SettingProblem("list_name", "Klaviyo list names may be at most " + MAX_LIST_NAME_LENGTH
                    + " characters here; this one has " + name.codePointCount(0, name.length()) + "."));
        } else if (!name.equals(name.strip())) {
            problems.add(new SettingProblem("list_name", "The list name must not start or end with spaces."));
        }
        String email = settings.mapping().get("email");
        if (email == null || email.isBlank()) {
            problems.add(new SettingProblem("mapping.email", "Map Klaviyo's email to a member trait."));
        }
        for (String field : settings.mapping().keySet()) {
            if (!MAPPED_FIELDS.contains(field)) {
                problems.add(new SettingProblem("mapping." + field, "Klaviyo field " + field + " is not synced: this "
                        + "connector syncs email, first_name and last_name only."));
            }
        }
        return problems;
    }

    @Override
    public void run(ConnectorContext context, CohortSyncRun run) throws ConnectorException {
        List<SettingProblem> problems = validate(context.config(), run.settings());
        if (!problems.isEmpty()) {
            throw new PermanentConnectorException("invalid_settings", problems.stream()
                    .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining(" ")));
        }
        new CohortRun(context, run, pause).execute();
    }
}
