package dev.junction.plugins.klaviyo;

import dev.junction.spi.CheckResult;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connection check: {@code GET /api/accounts} proves the key, then one call per access the
 * declared capabilities need shows whether the key has it. Klaviyo's 403 names the missing scopes
 * ("This API key is missing required scopes: ..."), so the scope names reported are Klaviyo's own,
 * never guessed from the key. Nothing is changed at Klaviyo.
 */
final class ConnectionCheck {

    /** A scope name as Klaviyo writes it, e.g. {@code lists:write}. */
    private static final Pattern SCOPE = Pattern.compile("\\b[a-z][a-z-]*:(?:read|write)\\b");
    /**
     * A list and profile id no Klaviyo account has (Klaviyo's ids are letters and digits only), for
     * the write probe: removing an unknown profile from an unknown list needs lists:write and
     * profiles:write, and can change nothing; Klaviyo answers it 404 when the key may.
     */
    static final String PROBE_ID = "junction-scope-probe";

    /** One probe: what it shows, and the call. */
    private record Probe(String access, String what, HttpCall.Builder call) { }

    private final KlaviyoApi api;

    ConnectionCheck(KlaviyoApi api) {
        this.api = api;
    }

    CheckResult run() throws ConnectorException {
        HttpResult account = api.raw(HttpCall.get(api.uri("/api/accounts")));
        if (account.status() == 401) {
            return CheckResult.failed("invalid_credentials", "Klaviyo rejected the API key: " + api.errorMessage(account)
                    + ". Use a private API key (pk_...) from Settings > API keys.");
        }
        if (account.status() == 403) {
            return missing(List.of("GET /api/accounts: " + api.errorMessage(account)), scopes(account));
        }
        if (!account.isSuccess()) {
            return CheckResult.failed("unexpected_response", "Klaviyo answered " + account.status()
                    + " to GET /api/accounts: " + api.errorMessage(account));
        }
        try {
            api.document("GET /api/accounts", account);
        } catch (ConnectorException notJson) {
            return CheckResult.failed("unexpected_response", notJson.getMessage());
        }
        List<String> refusals = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Probe probe : probes()) {
            HttpResult r = api.raw(probe.call());
            if (r.status() == 403) {
                refusals.add(probe.what() + " (" + probe.access() + "): " + api.errorMessage(r));
                missing.addAll(scopes(r));
            } else if (r.status() == 401 || r.status() >= 500 || !r.isSuccess() && r.status() != 404) {
                return CheckResult.failed("unexpected_response", "Klaviyo answered " + r.status() + " to "
                        + probe.what() + ": " + api.errorMessage(r));
            }
        }
        if (!refusals.isEmpty()) {
            return missing(refusals, missing);
        }
        String subscriptions = api.context().config().bool("subscribe_members", false)
                ? " Subscribing members needs subscriptions:write too, which Klaviyo offers no harmless call to test: "
                        + "a key without it fails the first cohort sync with Klaviyo's 403, naming the scope."
                : "";
        return CheckResult.ok("API key valid: it can read the account, read and write lists and profiles." + subscriptions);
    }

    /** The calls that show each access cohort sync needs; none changes anything. */
    private List<Probe> probes() {
        Map<String, Object> body = Map.of("data", List.of(Map.of("type", "profile", "id", PROBE_ID)));
        return List.of(
                new Probe("read lists", "GET /api/lists", HttpCall.get(api.uri("/api/lists?page%5Bsize%5D=1"))),
                new Probe("read profiles", "GET /api/profiles", HttpCall.get(api.uri("/api/profiles?page%5Bsize%5D=1"))),
                new Probe("write lists and profiles", "DELETE /api/lists/{id}/relationships/profiles",
                        api.withBody(HttpCall.delete(api.uri("/api/lists/" + PROBE_ID + "/relationships/profiles")), body)));
    }

    private static CheckResult missing(List<String> refusals, Set<String> scopes) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("missing_scopes", List.copyOf(scopes));
        details.put("refused", List.copyOf(refusals));
        String named = scopes.isEmpty() ? "" : " Missing scopes: " + String.join(", ", scopes) + ".";
        return CheckResult.failed("missing_scopes", "The API key lacks access Junction needs." + named
                + " Klaviyo refused: " + String.join("; ", refusals) + ". Edit the key in Klaviyo (Settings > API keys) "
                + "and give it that access.", details);
    }

    /** The scope names in Klaviyo's 403 answer. */
    private Set<String> scopes(HttpResult r) {
        Set<String> out = new LinkedHashSet<>();
        for (Map<?, ?> e : api.errors(r)) {
            Matcher m = SCOPE.matcher(String.valueOf(e.get("detail")));
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }
}
