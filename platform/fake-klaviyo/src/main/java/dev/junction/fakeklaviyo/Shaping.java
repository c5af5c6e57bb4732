package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies the query's {@code additional-fields[profile]=subscriptions} and sparse fieldsets ({@code fields[type]=a,b})
 * to an answer's primary data, after the handler built it with every attribute.
 */
final class Shaping {
    private Shaping() {
    }

    static void apply(Call call, JsonNode doc, Profiles profiles) {
        if (doc == null || !doc.has("data")) {
            return;
        }
        List<ObjectNode> resources = new java.util.ArrayList<>();
        JsonNode data = doc.get("data");
        if (data.isArray()) {
            data.forEach(r -> resources.add((ObjectNode) r));
        } else if (data.isObject()) {
            resources.add((ObjectNode) data);
        }
        String additional = call.queryParam("additional-fields[profile]");
        if (additional != null && Arrays.asList(additional.split(",")).contains("subscriptions")) {
            for (ObjectNode r : resources) {
                Profiles.Profile p = "profile".equals(r.path("type").asText()) ? profiles.get(r.path("id").asText())
                        : null;
                if (p != null && r.get("attributes") instanceof ObjectNode a) {
                    a.set("subscriptions", subscriptions(p));
                }
            }
        }
        for (Map.Entry<String, List<String>> q : call.query().entrySet()) {
            String name = q.getKey();
            if (!name.startsWith("fields[") || !name.endsWith("]") || q.getValue().isEmpty()) {
                continue;
            }
            String type = name.substring(7, name.length() - 1);
            // "location.city" keeps the whole location object (G11: nested fieldsets are not pruned further).
            Set<String> keep = Arrays.stream(q.getValue().get(0).split(",")).map(f -> f.split("\\.")[0])
                    .collect(Collectors.toSet());
            for (ObjectNode r : resources) {
                if (type.equals(r.path("type").asText()) && r.get("attributes") instanceof ObjectNode a) {
                    a.retain(keep);
                }
            }
        }
    }

    /**
     * E-mail marketing only (G7): {@code can_receive_email_marketing} is true unless unsubscribed, as the spec's
     * description ties it to the absence of suppressions and the fake models none beyond UNSUBSCRIBED.
     */
    static ObjectNode subscriptions(Profiles.Profile p) {
        ObjectNode s = JsonApi.object();
        ObjectNode m = s.putObject("email").putObject("marketing");
        m.put("can_receive_email_marketing", !"UNSUBSCRIBED".equals(p.emailConsent));
        m.put("consent", p.emailConsent);
        m.put("consent_timestamp", JsonApi.time(p.emailConsentAt));
        m.put("last_updated", JsonApi.time(p.emailConsentAt));
        m.put("method", p.emailConsentAt == null ? null : "API");
        m.put("double_optin", false);
        return s;
    }
}
