package dev.junction.plugins.sendgrid;

import dev.junction.spi.ConnectorContext;
import dev.junction.spi.ConnectorException;
import dev.junction.spi.HttpCall;
import dev.junction.spi.HttpResult;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Looks contacts up by e-mail with {@code POST /v3/marketing/contacts/search/emails}: "retrieve up
 * to 100 contacts matching the searched email address(es)"; "a 404 status code when no contacts
 * are found"; "A 400 status code is returned if any searched addresses are invalid". Read-only, so
 * the call is marked idempotent and retried after 5xx.
 */
final class ContactSearch {

    /** E-mails per call ("up to 100 contacts"). */
    static final int MAX_EMAILS = 100;
    /** The spec's {@code maxLength} of each searched e-mail. */
    static final int MAX_EMAIL_LENGTH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A contact SendGrid found: its id and the lists it is in. */
    record Contact(String id, Set<String> listIds) { }

    /**
     * What a search found.
     *
     * @param found   e-mail to contact, for the e-mails that are a contact's primary e-mail
     * @param invalid e-mail to SendGrid's reason, for addresses SendGrid calls invalid
     */
    record Result(Map<String, Contact> found, Map<String, String> invalid) { }

    private final ConnectorContext ctx;
    private final SendGridApi api;

    ContactSearch(ConnectorContext ctx, SendGridApi api) {
        this.ctx = ctx;
        this.api = api;
    }

    /** Searches at most {@link #MAX_EMAILS} e-mails, each at most {@link #MAX_EMAIL_LENGTH} characters. */
    Result find(List<String> emails) throws ConnectorException {
        Result result = new Result(new HashMap<>(), new HashMap<>());
        if (!emails.isEmpty()) {
            search(emails, result);
        }
        return result;
    }

    private void search(List<String> emails, Result into) throws ConnectorException {
        HttpResult r = api.send(SendGridApi.patient(HttpCall.post(api.uri("/v3/marketing/contacts/search/emails")), TIMEOUT)
                .json(ctx.json().write(Map.of("emails", emails)))
                .idempotent(true));
        if (r.status() == 404) {
            return;  // none of them is a contact
        }
        if (r.status() == 400) {
            // One invalid address fails the whole search: halve until it is found, at most
            // log2(100) = 7 levels per invalid address.
            if (emails.size() == 1) {
                into.invalid().put(emails.get(0), api.errorMessage(r));
                return;
            }
            int half = emails.size() / 2;
            search(emails.subList(0, half), into);
            search(emails.subList(half, emails.size()), into);
            return;
        }
        if (!r.isSuccess()) {
            throw api.unexpected("POST /v3/marketing/contacts/search/emails", r);
        }
        Map<?, ?> result = api.object("POST /v3/marketing/contacts/search/emails", r).get("result") instanceof Map<?, ?> m
                ? m : Map.of();
        for (String email : emails) {
            // The search also matches alternate e-mails; only a contact whose primary e-mail this is
            // is the contact the sync upserted by that e-mail.
            if (result.get(email) instanceof Map<?, ?> entry && entry.get("contact") instanceof Map<?, ?> contact
                    && contact.get("id") instanceof String id && contact.get("email") instanceof String primary
                    && primary.equalsIgnoreCase(email)) {
                Set<String> lists = contact.get("list_ids") instanceof List<?> l
                        ? l.stream().map(String::valueOf).collect(Collectors.toSet()) : Set.of();
                into.found().put(email, new Contact(id, lists));
            }
        }
    }
}
