package dev.junction.platform.support;

import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.platform.support.contract.Contract;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Real resources of one tenant for tests that walk every operation of the contract: a SendGrid
 * installation (with its API key and webhook), a cohort with a sync, an HTTP source (with its write
 * key) and a secret. {@link #path} fills an operation's path template from them and {@link #client}
 * picks who calls it: the tracking API with the write key, webhooks anonymously, the rest as
 * {@code admin}.
 *
 * @param values path parameter values by name, and the credentials made ({@code apiKey},
 *               {@code writeKey}, {@code webhook_id}, {@code secretValue})
 */
public record ContractFixtures(String tenant, Map<String, String> values) {

    /** Creates the resources with {@code admin} (a tenant admin or a platform admin acting on {@code tenant}). */
    public static ContractFixtures create(Api admin, String tenant, FakeSendGrid sendgrid) {
        String key = "SG.fixture-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);
        Map<String, String> v = new HashMap<>();
        String installation = require(admin.post("/v1/admin/integration-catalog/sendgrid/install", Map.of("name", "SendGrid",
                "config", Map.of("api_key", key))), 201).json().get("id").asText();
        require(admin.post("/v1/admin/cohorts", Map.of("key", "aud", "name", "Audience")), 201);
        String sync = require(admin.post("/v1/admin/installations/" + installation + "/cohort-syncs", Map.of("cohort_key", "aud",
                "list_name", "L", "cadence", "manual", "mapping", Map.of("email", "email", "first_name", "first_name",
                        "last_name", "last_name"))), 201).json().get("id").asText();
        Api.Response source = require(admin.post("/v1/admin/sources", Map.of("name", "App")), 201);
        String secretValue = "fixture-secret-" + UUID.randomUUID();
        require(admin.put("/v1/admin/secrets/fixture-secret", Map.of("value", secretValue)), 201);
        v.put("slug", tenant);
        v.put("name", "fixture-secret");
        v.put("id", installation);
        v.put("installationId", installation);
        v.put("key", "aud");
        v.put("syncId", sync);
        v.put("source", source.json().get("id").asText());
        v.put("writeKey", source.json().get("write_key").asText());
        v.put("apiKey", key);
        v.put("secretValue", secretValue);
        v.put("webhook_id", admin.get("/v1/admin/installations/" + installation).json().get("webhook_url").asText()
                .replaceAll(".*/", ""));
        TestCredentials.remember(key, v.get("writeKey"), secretValue, v.get("webhook_id"));
        return new ContractFixtures(tenant, Map.copyOf(v));
    }

    private static Api.Response require(Api.Response r, int status) {
        if (r.status() != status) {
            throw new AssertionError("fixture not created: " + r);
        }
        return r;
    }

    /** The operation's path with every template parameter filled; null if one cannot be filled. */
    public String path(Contract.Operation op) {
        String path = op.template();
        for (String name : op.names()) {
            String value = op.template().startsWith("/v1/admin/sources/") && name.equals("id") ? values.get("source") : values.get(name);
            if (value == null) {
                return null;
            }
            path = path.replace("{" + name + "}", value);
        }
        return path;
    }

    /** Who calls {@code op}: webhooks are anonymous, the tracking API uses the write key, the rest {@code admin}. */
    public Api client(Contract.Operation op, Api anonymous, Api admin) {
        if (op.template().startsWith("/v1/webhooks/")) {
            return anonymous;
        }
        if (op.template().startsWith("/v1/admin/")) {
            return admin;
        }
        return anonymous.with("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((values.get("writeKey") + ":").getBytes(StandardCharsets.UTF_8)));
    }
}
