package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Seeding and inspection of a fake's account without HTTP (no validation, no rate limits, no job delay), for
 * tests and benchmarks. Seeding applies the same rules as the API (e-mail syntax, case-insensitive e-mails).
 */
public final class FakeKlaviyoState {
    private final Profiles profiles;
    private final Account account;
    private final WebhookSender webhooks;

    FakeKlaviyoState(Profiles profiles, Account account, Dispatcher dispatcher, WebhookSender webhooks) {
        this.profiles = profiles;
        this.account = account;
        this.webhooks = webhooks;
    }

    // ------------------------------------------------------------------ profiles

    /**
     * Creates or updates a profile.
     *
     * @param email e-mail (or null)
     * @param externalId external id (or null)
     * @param attributes other text attributes (first_name, last_name, ...)
     * @return the profile
     */
    public FakeProfile seedProfile(String email, String externalId, Map<String, String> attributes) {
        return profiles.seed(email, externalId, attributes, Instant.now()).snapshot();
    }

    /**
     * Seeds {@code count} profiles {@code user<i>@example.com} (i from 0), external id {@code ext-<i>}.
     *
     * @param count how many
     * @return their ids in order
     */
    public List<String> seedProfiles(int count) {
        List<String> ids = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            ids.add(profiles.seed("user" + i + "@example.com", "ext-" + i, Map.of(), now).id);
        }
        return ids;
    }

    /** @return the number of profiles */
    public int profileCount() {
        return profiles.size();
    }

    /** @param id profile id @return the profile */
    public Optional<FakeProfile> profile(String id) {
        return Optional.ofNullable(profiles.get(id)).map(Profiles.Profile::snapshot);
    }

    /** @param email e-mail, any case @return the profile */
    public Optional<FakeProfile> profileByEmail(String email) {
        return Optional.ofNullable(profiles.byEmail(email)).map(Profiles.Profile::snapshot);
    }

    /** @param externalId external id @return the profile */
    public Optional<FakeProfile> profileByExternalId(String externalId) {
        return Optional.ofNullable(profiles.byExternalId(externalId)).map(Profiles.Profile::snapshot);
    }

    /**
     * Sets a profile's e-mail marketing consent (e.g. to test that list adds do not change it).
     *
     * @param profileId profile id
     * @param consent SUBSCRIBED, UNSUBSCRIBED or NEVER_SUBSCRIBED
     */
    public void setEmailConsent(String profileId, String consent) {
        Profiles.Profile p = profiles.get(profileId);
        if (p == null) {
            throw new IllegalArgumentException("no profile " + profileId);
        }
        profiles.consent(p, consent, Instant.now());
    }

    // ------------------------------------------------------------------ lists and segments

    /** @param name list name @return the new list */
    public FakeList createList(String name) {
        return account.createList(name, Instant.now()).snapshot();
    }

    /** @param id list id @param name new name */
    public void renameList(String id, String name) {
        account.renameList(id, name, Instant.now());
    }

    /** @param id list id */
    public void deleteList(String id) {
        account.deleteList(id);
    }

    /** @return all lists */
    public List<FakeList> lists() {
        return account.listsSnapshot().stream().map(Account.KList::snapshot).toList();
    }

    /** @param id list id @return the list */
    public Optional<FakeList> list(String id) {
        try {
            return Optional.of(account.list(id).snapshot());
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    /** @param listId list id @param profileIds profiles to add */
    public void addToList(String listId, List<String> profileIds) {
        account.addMembers(listId, profileIds, Instant.now());
    }

    /** @param listId list id @return member profile ids, in id order */
    public List<String> listMembers(String listId) {
        return List.copyOf(account.list(listId).members.keySet());
    }

    /** @param listId list id @return member e-mails (lower-case; members without e-mail left out) */
    public Set<String> listMemberEmails(String listId) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : account.list(listId).members.keySet()) {
            Profiles.Profile p = profiles.get(id);
            if (p != null && p.email != null) {
                out.add(p.email);
            }
        }
        return out;
    }

    /** @param name segment name @param profileIds members @return the segment id */
    public String addSegment(String name, List<String> profileIds) {
        return account.addSegment(name, profileIds, Instant.now()).id();
    }

    // ------------------------------------------------------------------ events and metrics

    /** @return all events, in creation order */
    public List<FakeEvent> events() {
        return List.copyOf(account.events.values());
    }

    /** @param metricName a metric (event) name @return its events */
    public List<FakeEvent> events(String metricName) {
        return account.events.values().stream().filter(e -> e.metricName().equals(metricName)).toList();
    }

    /** @return events dropped as repeats of profile + metric + unique_id */
    public long duplicateEvents() {
        return account.duplicateEvents();
    }

    /** @return metric names */
    public List<String> metricNames() {
        synchronized (account) {
            return account.metrics.values().stream().map(Account.Metric::name).toList();
        }
    }

    /**
     * Records an event as if it happened in Klaviyo (e.g. {@code Opened Email}) and delivers it to webhooks
     * subscribed to its topic ({@code event:klaviyo.opened_email}).
     *
     * @param metricName the metric
     * @param profileId the profile
     * @param properties event properties (may be null)
     * @return the event
     */
    public FakeEvent emitEvent(String metricName, String profileId, ObjectNode properties) {
        Instant now = Instant.now();
        FakeEvent e = account.recordEvent(metricName, profileId, java.util.UUID.randomUUID().toString(), null,
                properties, now, now);
        webhooks.eventRecorded(e);
        return e;
    }

    // ------------------------------------------------------------------ webhooks

    /** @return delivery attempts so far (status -1: the receiver could not be reached) */
    public List<WebhookSender.Delivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    /** @return ids of the webhooks configured */
    public List<String> webhookIds() {
        synchronized (account) {
            return List.copyOf(account.webhooks.keySet());
        }
    }
}
