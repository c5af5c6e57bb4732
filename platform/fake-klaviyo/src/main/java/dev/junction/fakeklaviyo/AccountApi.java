package dev.junction.fakeklaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.junction.fakeklaviyo.Call.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The account, segments, webhooks and webhook topics. */
final class AccountApi {
    private final Profiles profiles;
    private final Account account;
    private final Render render;

    AccountApi(Profiles profiles, Account account, Render render) {
        this.profiles = profiles;
        this.account = account;
        this.render = render;
    }

    Reply handle(Call call) {
        return switch (call.operationId()) {
            case "get_accounts" -> new Reply(200, call.page(new TreeMap<>(java.util.Map.of(Account.ACCOUNT_ID, "")),
                    x -> true, x -> accountResource(call)));
            case "get_segments" -> new Reply(200, call.page(snapshot(account.segments), s -> true, render::segment));
            case "get_segment" -> new Reply(200, call.single(render.segment(account.segment(call.pathParam("id")))));
            case "get_profiles_for_segment" -> new Reply(200, call.page(account.segment(call.pathParam("id")).members(),
                    (id, joined) -> profiles.get(id) == null ? null : new Render.Member(profiles.get(id), joined),
                    m -> true, render::member));
            case "get_profile_ids_for_segment" -> new Reply(200, call.page(
                    account.segment(call.pathParam("id")).members(), (id, joined) -> profiles.get(id), p -> true,
                    p -> JsonApi.ref("profile", p.id)));
            case "get_webhooks" -> webhookList(call);
            case "get_webhook" -> new Reply(200, call.single(render.webhook(account.webhook(call.pathParam("id")))));
            case "create_webhook" -> createWebhook(call);
            case "delete_webhook" -> {
                account.deleteWebhook(call.pathParam("id"));
                yield Reply.noContent();
            }
            case "get_webhook_topics" -> {
                TreeMap<String, String> topics = new TreeMap<>();
                Account.TOPICS.forEach(t -> topics.put(t, t));
                yield new Reply(200, call.page(topics, t -> true, render::topic));
            }
            case "get_webhook_topic" -> {
                String id = call.pathParam("id");
                if (!Account.TOPICS.contains(id)) {
                    throw ApiException.notFound("A webhook topic with id " + id + " does not exist.");
                }
                yield new Reply(200, call.single(render.topic(id)));
            }
            default -> null;
        };
    }

    private <T> TreeMap<String, T> snapshot(java.util.NavigableMap<String, T> map) {
        synchronized (account) {
            return new TreeMap<>(map);
        }
    }

    private ObjectNode accountResource(Call call) {
        ObjectNode o = JsonApi.resource("account", Account.ACCOUNT_ID, call.baseUrl(),
                "/api/accounts/" + Account.ACCOUNT_ID + "/");
        ObjectNode a = (ObjectNode) o.get("attributes");
        a.put("test_account", true);
        ObjectNode contact = a.putObject("contact_information");
        contact.put("default_sender_name", "Junction Fake");
        contact.put("default_sender_email", "fake@example.com");
        contact.put("website_url", "https://example.com");
        contact.put("organization_name", "Junction Fake Klaviyo");
        ObjectNode street = contact.putObject("street_address");
        street.put("address1", "1 Fake Street");
        street.put("address2", "");
        street.put("city", "Boston");
        street.put("region", "MA");
        street.put("country", "US");
        street.put("zip", "02110");
        a.put("industry", "Software");
        a.put("timezone", "UTC");
        a.put("preferred_currency", "USD");
        a.put("public_api_key", Account.ACCOUNT_ID);
        a.put("locale", "en-US");
        return o;
    }

    private Reply webhookList(Call call) {
        ObjectNode doc = JsonApi.object();
        List<Account.Webhook> all;
        synchronized (account) {
            all = new ArrayList<>(account.webhooks.values());
        }
        all.forEach(w -> doc.withArray("data").add(render.webhook(w)));
        doc.withArray("data");
        doc.putObject("links").put("self", call.baseUrl() + call.path());
        return new Reply(200, doc);
    }

    private Reply createWebhook(Call call) {
        JsonNode data = call.body().path("data");
        JsonNode a = data.path("attributes");
        String url = a.path("endpoint_url").asText();
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw ApiException.invalid("endpoint_url must be an http(s) URL.", "/data/attributes/endpoint_url");
        }
        List<String> topics = new ArrayList<>();
        data.path("relationships").path("webhook-topics").path("data").forEach(t -> topics.add(t.path("id").asText()));
        Account.Webhook w = account.addWebhook(a.path("name").asText(), JsonApi.text(a, "description"), url,
                a.path("secret_key").asText(), topics, call.now());
        return new Reply(201, call.single(render.webhook(w)));
    }
}
