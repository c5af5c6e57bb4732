package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.EventLog;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;
import dev.junction.spi.PermanentConnectorException;
import dev.junction.spi.cohort.CohortSyncSettings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SendGrid Marketing list of one cohort sync. Its id is kept in the installation's state under
 * a key derived from the sync id. Without a stored id, an existing list with exactly the sync's list
 * name is adopted before a new one is created. A list deleted in SendGrid is found or created again.
 * A list name changed in the settings renames the list.
 */
final class SyncList {

    /** "You can create a maximum of 1000 lists." (SendGrid's Lists API reference, Create List). */
    static final int MAX_LISTS = 1000;
    /** GET /v3/marketing/lists {@code page_size}: "Defaults to 100, returns 1000 max". */
    static final int PAGE_SIZE = 1000;
    /** Far more pages than 1,000 lists need: a guard against a vendor that keeps answering "next". */
    private static final int MAX_PAGES = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ConnectorContext ctx;
    private final SendGridApi api;
    private final String stateKey;
    private final String name;
    private String id;

    SyncList(ConnectorContext ctx, SendGridApi api, CohortSyncSettings settings) {
        this.ctx = ctx;
        this.api = api;
        this.stateKey = stateKey(settings.syncId());
        this.name = settings.listName();
    }

    /** The list's id; valid after {@link #ensure()}. */
    String id() {
        return id;
    }

    /**
     * Keeps state keys within the platform's 200 characters whatever the sync id: short ids are kept
     * readable, longer ones are hashed.
     */
    static String stateKey(String syncId) {
        String key = "cohort_sync." + syncId + ".list";
        if (key.length() <= 200) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(syncId.getBytes(StandardCharsets.UTF_8));
            return "cohort_sync.sha256-" + HexFormat.of().formatHex(digest) + ".list";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    /** Makes sure the list exists and has the name in the settings. Called once at the start of a run. */
    void ensure() throws ConnectorException {
        Map<?, ?> stored = stored();
        if (stored != null && stored.get("list_id") instanceof String storedId) {
            HttpResult r = api.send(call(HttpCall.get(api.uri("/v3/marketing/lists/" + SendGridApi.encode(storedId)))));
            if (r.isSuccess()) {
                id = storedId;
                if (!name.equals(stored.get("list_name"))) {
                    rename(String.valueOf(stored.get("list_name")));
                }
                return;
            }
            if (r.status() != 404) {
                throw api.unexpected("GET /v3/marketing/lists/{id}", r);
            }
            ctx.log().record(EventLog.Level.WARNING, "list missing", "The SendGrid list \"" + stored.get("list_name")
                    + "\" was deleted in SendGrid; finding or creating it again. Members synced to the deleted list "
                    + "are not re-added by this run: a run only applies the cohort's changes.", Map.of("list_id", storedId));
        }
        findOrCreate();
    }

    /**
     * Whether the list still exists. Used when SendGrid refuses the list id in the middle of a run,
     * which the upsert answers with 400 on {@code list_ids} and the removal with 404.
     */
    boolean exists() throws ConnectorException {
        HttpResult r = api.send(call(HttpCall.get(api.uri("/v3/marketing/lists/" + SendGridApi.encode(id)))));
        if (r.status() == 404) {
            return false;
        }
        if (!r.isSuccess()) {
            throw api.unexpected("GET /v3/marketing/lists/{id}", r);
        }
        return true;
    }

    /** The list was deleted during the run: find or create it again. */
    void recover() throws ConnectorException {
        ctx.log().record(EventLog.Level.WARNING, "list missing", "The SendGrid list \"" + name + "\" was deleted in "
                + "SendGrid during the run; finding or creating it again.", Map.of("list_id", id));
        findOrCreate();
    }

    private void rename(String oldName) throws ConnectorException {
        HttpResult r = api.send(call(HttpCall.patch(api.uri("/v3/marketing/lists/" + SendGridApi.encode(id))))
                .json(ctx.json().write(Map.of("name", name)))
                .idempotent(true));  // setting the same name twice changes nothing
        if (r.isSuccess()) {
            remember();
            ctx.log().record(EventLog.Level.INFO, "list renamed", "Renamed the SendGrid list \"" + oldName + "\" to \""
                    + name + "\", as the sync's settings now say.", Map.of("list_id", id));
        } else if (r.status() == 404) {
            findOrCreate();
        } else if (r.status() == 400) {
            // For example another list already has the name. The sync still works on the list it has.
            ctx.log().record(EventLog.Level.WARNING, "list not renamed", "SendGrid refused to rename the list \""
                    + oldName + "\" to \"" + name + "\" (" + api.errorMessage(r) + "); the sync keeps using it under "
                    + "its old name and tries again next run.", Map.of("list_id", id));
        } else {
            throw api.unexpected("PATCH /v3/marketing/lists/{id}", r);
        }
    }

    private void findOrCreate() throws ConnectorException {
        Lookup lookup = findByName();
        if (lookup.id() != null) {
            adopt(lookup.id());
            return;
        }
        if (lookup.lists() >= MAX_LISTS) {
            throw listsFull();
        }
        HttpResult r = api.send(call(HttpCall.post(api.uri("/v3/marketing/lists")))
                .json(ctx.json().write(Map.of("name", name)))
                .maxAttempts(1));  // a POST is not retried after a 5xx: it may have created the list
        if (r.isSuccess() && api.object("POST /v3/marketing/lists", r).get("id") instanceof String created) {
            id = created;
            remember();
            ctx.log().record(EventLog.Level.INFO, "list created", "Created the SendGrid list \"" + name + "\".",
                    Map.of("list_id", id));
            return;
        }
        if (r.status() != 400) {
            throw api.unexpected("POST /v3/marketing/lists", r);
        }
        // A list of that name may have appeared since we looked, or the account may have filled up.
        Lookup again = findByName();
        if (again.id() != null) {
            adopt(again.id());
            return;
        }
        String message = api.errorMessage(r);
        if (again.lists() >= MAX_LISTS || message.toLowerCase(java.util.Locale.ROOT).contains("limit")) {
            throw listsFull();
        }
        throw new PermanentConnectorException("list_not_created", "SendGrid refused to create the list \"" + name
                + "\": " + message);
    }

    private void adopt(String existing) {
        id = existing;
        remember();
        ctx.log().record(EventLog.Level.INFO, "list found", "Using the existing SendGrid list \"" + name + "\".",
                Map.of("list_id", id));
    }

    private PermanentConnectorException listsFull() {
        return new PermanentConnectorException("lists_full", "The SendGrid account already has " + MAX_LISTS
                + " Marketing lists, the most SendGrid allows, so the list \"" + name + "\" cannot be created. "
                + "Delete lists you no longer need in SendGrid, or give this sync the name of an existing list.");
    }

    /** Lists are matched by exact name: SendGrid has no lookup by name, so every page is read. */
    private Lookup findByName() throws ConnectorException {
        String[] found = new String[1];
        Pages.Outcome outcome = Pages.read(api, "GET /v3/marketing/lists", "/v3/marketing/lists?page_size=" + PAGE_SIZE,
                "result", MAX_PAGES, TIMEOUT, list -> {
                    if (name.equals(list.get("name")) && list.get("id") instanceof String id) {
                        found[0] = id;
                        return false;
                    }
                    return true;
                });
        return found[0] != null ? new Lookup(found[0], outcome.items() - 1)
                : new Lookup(null, Math.max(outcome.items(), outcome.count()));
    }

    private Map<?, ?> stored() {
        try {
            return ctx.state().get(stateKey).map(ctx.json()::parse).orElse(null) instanceof Map<?, ?> m ? m : null;
        } catch (IllegalArgumentException corrupt) {
            return null;  // unreadable state: look the list up again by name
        }
    }

    private void remember() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("list_id", id);
        value.put("list_name", name);
        ctx.state().put(stateKey, ctx.json().writeString(value));
    }

    private static HttpCall.Builder call(HttpCall.Builder builder) {
        return SendGridApi.patient(builder, TIMEOUT);
    }

    /** A lookup by name: the list's id or null, and how many lists the account has. */
    private record Lookup(String id, long lists) { }
}
