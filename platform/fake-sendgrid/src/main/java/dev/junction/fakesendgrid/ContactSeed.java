package dev.junction.fakesendgrid;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A contact to put straight into the fake's state, bypassing HTTP, validation and import jobs.
 *
 * <pre>{@code
 * fake.seedContact(ContactSeed.of("Ada@Example.com").with("first_name", "Ada").with("tier", 3).inLists(listId));
 * }</pre>
 *
 * @param email the e-mail (trimmed and lower-cased when stored)
 * @param fields reserved fields by wire name ({@code first_name}, {@code city}, ...) and custom fields by
 *     <em>name</em> or id; values are checked like an API upsert would check them
 * @param listIds ids of existing lists to add the contact to
 */
public record ContactSeed(String email, Map<String, Object> fields, Set<String> listIds) {
    /**
     * Creates a seed, copying the collections.
     *
     * @param email the e-mail
     * @param fields fields by name (copied)
     * @param listIds list ids (copied)
     */
    public ContactSeed {
        Objects.requireNonNull(email, "email");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        listIds = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(listIds));
    }

    /**
     * A seed with only an e-mail.
     *
     * @param email the e-mail
     * @return the seed
     */
    public static ContactSeed of(String email) {
        return new ContactSeed(email, Map.of(), Set.of());
    }

    /**
     * Returns a copy with one more field.
     *
     * @param field a reserved field wire name, or a custom field name or id
     * @param value the value (String, Number, or for {@code alternate_emails} a {@code List<String>})
     * @return the new seed
     */
    public ContactSeed with(String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(field, value);
        return new ContactSeed(email, copy, listIds);
    }

    /**
     * Returns a copy that is also a member of the given lists.
     *
     * @param ids list ids
     * @return the new seed
     */
    public ContactSeed inLists(String... ids) {
        Set<String> copy = new LinkedHashSet<>(listIds);
        copy.addAll(List.of(ids));
        return new ContactSeed(email, fields, copy);
    }
}
