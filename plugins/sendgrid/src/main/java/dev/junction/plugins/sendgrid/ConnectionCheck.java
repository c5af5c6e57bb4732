package dev.junction.plugins.sendgrid;

import dev.junction.spi.CheckResult;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connection check: one small read of each kind of data the capabilities use, with the
 * installation's key. SendGrid documents that a key's permissions limit which endpoints it may call, but
 * not which scope name each Marketing endpoint needs, so the check asks the endpoints themselves instead
 * of comparing scope names: a key passes when every probe answers 2xx, whatever its scopes are called.
 *
 * <p>Only reads are probed: a check must not change the account, and SendGrid has no dry-run for its
 * writes. A key that may read but not write passes, and the first run that writes fails with
 * {@code forbidden} naming the call (see {@link SendGridApi#send}).
 */
final class ConnectionCheck {

    /**
     * One read and what it stands for.
     *
     * @param call      the request, a one-row read where SendGrid pages
     * @param permission what a 403 to it means the key lacks, in words a SendGrid admin finds in the key editor
     * @param usedBy    the features that need it
     */
    record Probe(String call, String permission, List<String> usedBy) {
        String path() {
            return call.substring(call.indexOf(' ') + 1);
        }
    }

    /** Scope names SendGrid's permission list gives Marketing access; only a hint in messages, never checked. */
    static final String SCOPE_HINT = "marketing.read (reads) and marketing_campaigns.create/update/delete (changes)";

    static final List<Probe> PROBES = List.of(
            new Probe("GET /v3/marketing/lists?page_size=1", "read access to Marketing lists",
                    List.of("cohort sync", "event delivery", "object sync")),
            new Probe("GET /v3/marketing/field_definitions", "read access to Marketing custom field definitions",
                    List.of("event delivery", "object sync")),
            new Probe("GET /v3/marketing/contacts/count", "read access to Marketing contacts",
                    List.of("cohort sync", "event delivery", "object sync")),
            new Probe("GET /v3/marketing/segments/2.0", "read access to Marketing segments",
                    List.of("object sync")));

    private final SendGridApi api;

    ConnectionCheck(SendGridApi api) {
        this.api = api;
    }

    /** Runs the probes; 401 stops at once, 403s are collected so that one answer names every missing permission. */
    CheckResult run() throws ConnectorException {
        List<String> missing = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Set<String> features = new LinkedHashSet<>();
        for (Probe probe : PROBES) {
            HttpResult r = api.get(probe.path());
            if (r.status() == 401) {
                return CheckResult.failed("invalid_credentials", "SendGrid rejected the API key: invalid API key (401 to "
                        + probe.call() + ": " + api.errorMessage(r) + ")");
            }
            if (r.status() == 403) {
                missing.add(probe.permission());
                refused.add(probe.call() + ": 403 " + api.errorMessage(r));
                features.addAll(probe.usedBy());
            } else if (!r.isSuccess()) {
                return CheckResult.failed("unexpected_response", "SendGrid answered " + r.status() + " to " + probe.call()
                        + ": " + api.errorMessage(r));
            }
        }
        if (!missing.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("missing_permissions", missing);
            details.put("refused_calls", refused);
            details.put("affected_features", List.copyOf(features));
            details.put("scope_hint", SCOPE_HINT);
            // code kept from the scope-name check: the platform and its clients know missing_scopes as
            // "the key lacks permissions"; what is missing is now what SendGrid itself refused
            return CheckResult.failed("missing_scopes", "SendGrid refused the API key " + and(missing)
                    + " (" + String.join("; ", refused) + "), which " + and(List.copyOf(features)) + " need. "
                    + "Give the key Marketing access in SendGrid (Settings > API Keys); SendGrid's permission list "
                    + "names it " + SCOPE_HINT + ", but the names are only a hint.", details);
        }
        return CheckResult.ok("API key valid: SendGrid answered every read Junction's features need (Marketing lists, "
                + "custom field definitions, contacts, segments). Write access is checked by the first run that writes.");
    }

    /** "a", "a and b", "a, b and c". */
    private static String and(List<String> items) {
        int last = items.size() - 1;
        return last == 0 ? items.get(0) : String.join(", ", items.subList(0, last)) + " and " + items.get(last);
    }
}
