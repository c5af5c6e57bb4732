package dev.junction.plugins.klaviyo;

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
 * Keeps a Klaviyo list equal to a Junction cohort ({@code cohort_sync}), see {@link CohortRun} and
 * plugins/klaviyo/README.md.
 */
@Extension
public final class KlaviyoCohortSync implements CohortSync {

    /** The profile fields synced; e-mail is required. */
    static final List<String> MAPPED_FIELDS = List.of("email", "first_name", "last_name");
    /** Klaviyo's spec gives no maximum for list names; this connector keeps them readable and short. */
    static final int MAX_LIST_NAME_LENGTH = 100;

    private final Pause pause;

    /** The extension the platform creates: waits really sleep. */
    public KlaviyoCohortSync() {
        this(Pause.system());
    }

    KlaviyoCohortSync(Pause pause) {
        this.pause = pause;
    }

    @Override
    public List<SettingProblem> validate(ConnectorConfig config, CohortSyncSettings settings) {
        List<SettingProblem> problems = new ArrayList<>(SettingChecks.listName(settings, "Klaviyo", MAX_LIST_NAME_LENGTH));
        problems.addAll(SettingChecks.mapping(settings, "Klaviyo", MAPPED_FIELDS, List.of("email")));
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
