package dev.junction.fakesendgrid;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of a contact stored in the fake.
 *
 * @param id the contact id (a UUID), stable across upserts
 * @param email the primary e-mail, trimmed and lower-cased (the contact's key)
 * @param firstName {@code first_name}, or null when never set
 * @param lastName {@code last_name}, or null when never set
 * @param phoneNumber {@code phone_number}, or null when never set
 * @param externalId {@code external_id}, or null when never set
 * @param fields every reserved field that has a value, by its wire name ({@code city}, {@code first_name}, ...)
 * @param customFields custom field values by field <em>id</em> ({@code e1_T}); numbers are {@link Number}s,
 *     text and dates are {@link String}s
 * @param listIds the ids of the lists the contact belongs to
 * @param createdAt when the contact was created
 * @param updatedAt when the contact was last changed
 */
public record FakeContact(String id, String email, String firstName, String lastName, String phoneNumber,
        String externalId, Map<String, String> fields, Map<String, Object> customFields, Set<String> listIds,
        Instant createdAt, Instant updatedAt) {
    /**
     * Creates a snapshot, copying the collections.
     *
     * @param id the contact id
     * @param email the e-mail
     * @param firstName the first name or null
     * @param lastName the last name or null
     * @param phoneNumber the phone number or null
     * @param externalId the external id or null
     * @param fields reserved fields by wire name (copied)
     * @param customFields custom field values by field id (copied)
     * @param listIds list ids (copied)
     * @param createdAt when created
     * @param updatedAt when last changed
     */
    public FakeContact {
        fields = Map.copyOf(fields);
        customFields = Map.copyOf(customFields);
        listIds = Set.copyOf(listIds);
    }
}
