package dev.junction.testkit;

import dev.junction.spi.ConnectorException;
import dev.junction.spi.StateStore;
import dev.junction.spi.cohort.CohortMember;
import dev.junction.spi.cohort.CohortSync;
import dev.junction.spi.cohort.CohortSyncRun;
import dev.junction.spi.cohort.CohortSyncSettings;
import dev.junction.spi.cohort.VendorJobState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * An in-memory {@link CohortSyncRun} for testing a {@link CohortSync} without the platform: it hands
 * the connector the additions and removals given to its builder, in batches of exactly the size the
 * connector asks for, and records everything the connector reports.
 * <pre>{@code
 * TestCohortSyncRun run = TestCohortSyncRun.builder(new CohortSyncSettings("sync-1", "vip", "VIP customers",
 *                 Map.of("email", "email", "first_name", "first_name", "last_name", "last_name")))
 *         .add("ada@example.com", "Ada", "Lovelace")
 *         .remove("old@example.com")
 *         .build();
 * new MyCohortSync().run(ctx, run);
 * assertEquals(Set.of("ada@example.com"), run.accepted());
 * assertEquals(Set.of("old@example.com"), run.removed());
 * assertTrue(run.unreportedAdditions().isEmpty());
 * }</pre>
 *
 * <p>What it mirrors from the platform:
 * <ul>
 *   <li>E-mails are trimmed and lower-cased, and members are unique by e-mail within a run (the
 *       builder refuses a duplicate). Like the platform it does <em>not</em> promise an order:
 *       {@link Builder#shuffled(long)} hands members out in a seeded random order, to show that a
 *       connector does not depend on it.</li>
 *   <li>It does <em>not</em> apply the platform's e-mail pre-filter: an invalid address given to the
 *       builder reaches the connector, so that tests can check how it handles a vendor's refusal.</li>
 *   <li>A batch size below 1 is refused with {@link IllegalArgumentException}, as the platform does.</li>
 * </ul>
 * What it adds for tests: a report about an e-mail that is not a member of this run (or an addition
 * reported as removed, and the reverse) throws {@link IllegalStateException} at once, so that the
 * mistake fails the test where it happens. The last report of a member wins, as in the platform:
 * an accepted member later reported rejected counts as rejected. Thread-safe.
 *
 * @see CohortSync
 */
public final class TestCohortSyncRun implements CohortSyncRun {

    /** One {@link #vendorJob} report. */
    public record VendorJob(String jobId, VendorJobState state, Map<String, Object> details) { }

    private final CohortSyncSettings settings;
    private final StateStore state;
    private final List<CohortMember> additions;
    private final List<CohortMember> removals;
    private final Set<String> additionEmails = new HashSet<>();
    private final Set<String> removalEmails = new HashSet<>();

    private final Set<String> accepted = new LinkedHashSet<>();
    private final Map<String, String> rejected = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private final List<VendorJob> vendorJobs = new ArrayList<>();
    private final List<Integer> additionBatchSizes = new ArrayList<>();
    private final List<Integer> removalBatchSizes = new ArrayList<>();

    private TestCohortSyncRun(Builder b) {
        this.settings = b.settings;
        this.state = (b.state != null ? b.state : new InMemoryStateStore()).scoped("cohort-sync/" + settings.syncId() + "/");
        List<CohortMember> adds = new ArrayList<>(b.additions.values());
        List<CohortMember> removes = new ArrayList<>(b.removals.values());
        if (b.seed != null) {
            Collections.shuffle(adds, new Random(b.seed));
            Collections.shuffle(removes, new Random(b.seed + 1));
        }
        this.additions = List.copyOf(adds);
        this.removals = List.copyOf(removes);
        additions.forEach(m -> additionEmails.add(m.email()));
        removals.forEach(m -> removalEmails.add(m.email()));
    }

    /** Starts a run with these settings. */
    public static Builder builder(CohortSyncSettings settings) {
        return new Builder(settings);
    }

    @Override
    public CohortSyncSettings settings() {
        return settings;
    }

    /**
     * The sync's state: the store given to {@link Builder#state} (else a new in-memory one), under
     * the prefix {@code cohort-sync/<sync id>/} as in the platform. Give two runs of one test the
     * same store to see what a run keeps for the next.
     */
    @Override
    public StateStore state() {
        return state;
    }

    @Override
    public void forEachAddition(int batchSize, BatchHandler handler) throws ConnectorException {
        feed(additions, batchSize, handler, additionBatchSizes);
    }

    @Override
    public void forEachRemoval(int batchSize, BatchHandler handler) throws ConnectorException {
        feed(removals, batchSize, handler, removalBatchSizes);
    }

    private void feed(List<CohortMember> members, int batchSize, BatchHandler handler, List<Integer> sizes)
            throws ConnectorException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
        for (int from = 0; from < members.size(); from += batchSize) {
            List<CohortMember> batch = members.subList(from, Math.min(members.size(), from + batchSize));
            synchronized (this) {
                sizes.add(batch.size());
            }
            handler.handle(List.copyOf(batch));
        }
    }

    @Override
    public synchronized void accepted(List<String> emails) {
        for (String email : emails) {
            require(additionEmails, email, "accepted");
            rejected.remove(email);
            accepted.add(email);
        }
    }

    @Override
    public synchronized void rejected(String email, String reason) {
        require(additionEmails, email, "rejected");
        accepted.remove(email);
        rejected.put(email, Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public synchronized void removed(List<String> emails) {
        for (String email : emails) {
            require(removalEmails, email, "removed");
            removed.add(email);
        }
    }

    @Override
    public synchronized void vendorJob(String jobId, VendorJobState state, Map<String, Object> details) {
        vendorJobs.add(new VendorJob(Objects.requireNonNull(jobId, "jobId"), Objects.requireNonNull(state, "state"),
                details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details))));
    }

    private static void require(Set<String> members, String email, String what) {
        if (!members.contains(email)) {
            throw new IllegalStateException("the connector reported " + email + " " + what + ", but it is not "
                    + (what.equals("removed") ? "a removal" : "an addition") + " of this run");
        }
    }

    // ------------------------------------------------------------------ what the connector reported

    /** E-mails reported accepted (and not rejected afterwards), in report order. */
    public synchronized Set<String> accepted() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(accepted));
    }

    /** E-mails reported rejected (and not accepted afterwards), with the last reason given. */
    public synchronized Map<String, String> rejected() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
    }

    /** E-mails reported removed, in report order. */
    public synchronized Set<String> removed() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    }

    /** Every vendor job report, in order (a job appears once per state reported). */
    public synchronized List<VendorJob> vendorJobs() {
        return List.copyOf(vendorJobs);
    }

    /** The last state reported for each vendor job, in order of first report. */
    public synchronized Map<String, VendorJobState> vendorJobStates() {
        Map<String, VendorJobState> out = new LinkedHashMap<>();
        vendorJobs.forEach(j -> out.put(j.jobId(), j.state()));
        return out;
    }

    /** Additions the connector reported neither accepted nor rejected: the platform retries them next run. */
    public synchronized Set<String> unreportedAdditions() {
        Set<String> out = new LinkedHashSet<>();
        additions.forEach(m -> out.add(m.email()));
        out.removeAll(accepted);
        out.removeAll(rejected.keySet());
        return out;
    }

    /** Removals the connector did not report removed: the platform retries them next run. */
    public synchronized Set<String> unreportedRemovals() {
        Set<String> out = new LinkedHashSet<>();
        removals.forEach(m -> out.add(m.email()));
        out.removeAll(removed);
        return out;
    }

    /** The size of every batch of additions handed out, in order. */
    public synchronized List<Integer> additionBatchSizes() {
        return List.copyOf(additionBatchSizes);
    }

    /** The size of every batch of removals handed out, in order. */
    public synchronized List<Integer> removalBatchSizes() {
        return List.copyOf(removalBatchSizes);
    }

    /** Builds a {@link TestCohortSyncRun}. */
    public static final class Builder {
        private final CohortSyncSettings settings;
        private final Map<String, CohortMember> additions = new LinkedHashMap<>();
        private final Map<String, CohortMember> removals = new LinkedHashMap<>();
        private Long seed;
        private StateStore state;

        private Builder(CohortSyncSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** A member to add (new, changed, or rejected last time). */
        public Builder add(CohortMember member) {
            put(additions, member);
            return this;
        }

        /** A member to add, with only an e-mail and names (either may be null). */
        public Builder add(String email, String firstName, String lastName) {
            return add(new CohortMember(email, firstName, lastName, null, Map.of()));
        }

        /** Members to add. */
        public Builder addAll(Iterable<CohortMember> members) {
            members.forEach(this::add);
            return this;
        }

        /** A member to remove (no longer in the cohort). */
        public Builder remove(CohortMember member) {
            put(removals, member);
            return this;
        }

        /** A member to remove, by e-mail. */
        public Builder remove(String email) {
            return remove(new CohortMember(email, null, null, null, Map.of()));
        }

        /** Members to remove. */
        public Builder removeAll(Iterable<CohortMember> members) {
            members.forEach(this::remove);
            return this;
        }

        /** The installation's store the run's {@link TestCohortSyncRun#state()} is a view of, e.g. a {@link TestContext}'s. */
        public Builder state(StateStore installationState) {
            this.state = Objects.requireNonNull(installationState, "installationState");
            return this;
        }

        /** Hands out members in a random order derived from {@code seed}, instead of the order given. */
        public Builder shuffled(long seed) {
            this.seed = seed;
            return this;
        }

        private void put(Map<String, CohortMember> into, CohortMember member) {
            String email = Objects.requireNonNull(member.email(), "email").strip().toLowerCase(Locale.ROOT);
            if (additions.containsKey(email) || removals.containsKey(email)) {
                throw new IllegalArgumentException("members are unique by e-mail within a run: " + email);
            }
            into.put(email, new CohortMember(email, member.firstName(), member.lastName(), member.userId(),
                    member.traits()));
        }

        public TestCohortSyncRun build() {
            return new TestCohortSyncRun(this);
        }
    }
}
