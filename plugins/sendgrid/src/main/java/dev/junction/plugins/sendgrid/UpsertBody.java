package dev.junction.plugins.sendgrid;

import dev.junction.spi.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code PUT /v3/marketing/contacts} body within SendGrid's per-request limits. The operation's
 * description in SendGrid's OpenAPI document (tsg_mc_contacts_v3.json) says: "This endpoint allows
 * the upsert (insert or update) of up to 30,000 contacts, or 6MB of data, whichever is lower", and
 * its schema has {@code "maxItems": 30000}. "6MB of data" is not defined further; we read it as
 * 6,000,000 bytes of the whole serialised request body (the stricter of 6,000,000 and 6 MiB =
 * 6,291,456, and counting the envelope too), so that a body within our limit is within SendGrid's
 * under either reading.
 *
 * <p>The body is built contact by contact from each contact's own JSON, so its exact size is known
 * while it grows: a contact that would take it past either limit starts the next request.
 */
final class UpsertBody {

    static final int MAX_CONTACTS = 30_000;
    static final int MAX_BYTES = 6_000_000;
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    /** One contact: its e-mail and its serialised JSON object. */
    record Contact(String email, byte[] json) { }

    private final List<Contact> contacts;
    private final byte[] body;

    private UpsertBody(List<Contact> contacts, byte[] body) {
        this.contacts = contacts;
        this.body = body;
    }

    /**
     * The longest run of contacts from the start of {@code pending} that fits one request adding
     * them to the list {@code listId} (none when null), and its body. Empty when not even the first
     * contact fits.
     */
    static UpsertBody first(Json json, String listId, List<Contact> pending) {
        String lists = listId == null ? "" : "\"list_ids\":" + json.writeString(List.of(listId)) + ",";
        byte[] prefix = ("{" + lists + "\"contacts\":[").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(MAX_BYTES, 64 * 1024));
        out.writeBytes(prefix);
        List<Contact> taken = new ArrayList<>();
        long size = prefix.length + SUFFIX.length;
        for (Contact c : pending) {
            long grown = size + c.json().length + (taken.isEmpty() ? 0 : 1);  // 1: the comma
            if (taken.size() == MAX_CONTACTS || grown > MAX_BYTES) {
                break;
            }
            if (!taken.isEmpty()) {
                out.write(',');
            }
            out.writeBytes(c.json());
            taken.add(c);
            size = grown;
        }
        out.writeBytes(SUFFIX);
        return new UpsertBody(List.copyOf(taken), out.toByteArray());
    }

    List<Contact> contacts() {
        return contacts;
    }

    List<String> emails() {
        return contacts.stream().map(Contact::email).toList();
    }

    int size() {
        return contacts.size();
    }

    byte[] body() {
        return body;
    }
}
