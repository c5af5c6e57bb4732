package dev.junction.fakesendgrid;

import dev.junction.fakevendor.FakeVendorServer;
import dev.junction.fakevendor.LoopbackServer;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of {@link FakeSendGrid} that seeds and inspects the account without HTTP: lists, custom fields,
 * contacts and segments, with the same rules as the API. Its public methods are {@link FakeSendGrid}'s.
 */
abstract class SendGridAccountState extends FakeVendorServer {
    final Store store = new Store();

    SendGridAccountState(LoopbackServer server, String defaultApiKey) {
        super(server, defaultApiKey);
    }

    // ------------------------------------------------------------------ lists

    /**
     * Creates a list, with the same rules as {@code POST /v3/marketing/lists}.
     *
     * @param name the list name (1 to 100 characters, unique)
     * @return the new list
     * @throws IllegalArgumentException when SendGrid would refuse it
     */
    public FakeList createList(String name) {
        try {
            return Snapshots.of(store.createList(name));
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * All lists, oldest first.
     *
     * @return list snapshots
     */
    public List<FakeList> lists() {
        return store.listsInOrder().stream().map(Snapshots::of).toList();
    }

    /**
     * One list.
     *
     * @param listId the list id
     * @return the list, or empty
     */
    public Optional<FakeList> list(String listId) {
        return Optional.ofNullable(store.lists.get(listId)).map(Snapshots::of);
    }

    /**
     * Renames a list, with the same rules as {@code PATCH /v3/marketing/lists/{id}}.
     *
     * @param listId the list id
     * @param name the new name (1 to 100 characters, unique)
     * @return the renamed list
     * @throws IllegalArgumentException when the list does not exist or SendGrid would refuse the name
     */
    public FakeList renameList(String listId, String name) {
        try {
            return Snapshots.of(store.renameList(listId, name));
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * Deletes a list at once, as {@code DELETE /v3/marketing/lists/{id}} does (its contacts stay in the account).
     *
     * @param listId the list id
     * @throws IllegalArgumentException when the list does not exist
     */
    public void deleteList(String listId) {
        try {
            store.deleteList(listId);
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * The contacts on a list, ordered by e-mail.
     *
     * @param listId the list id
     * @return the members
     * @throws IllegalArgumentException when the list does not exist
     */
    public List<FakeContact> listMembers(String listId) {
        Store.ListRec list = store.lists.get(listId);
        if (list == null) {
            throw new IllegalArgumentException("no list " + listId);
        }
        return list.members.stream().map(store.byId::get).filter(Objects::nonNull)
                .sorted(Comparator.comparing(Store.Contact::email)).map(Snapshots::of).toList();
    }

    /**
     * Adds existing contacts to a list.
     *
     * @param listId the list id
     * @param emails e-mails of existing contacts (any case)
     * @throws IllegalArgumentException when the list or a contact does not exist
     */
    public void addToList(String listId, Collection<String> emails) {
        if (!store.lists.containsKey(listId)) {
            throw new IllegalArgumentException("no list " + listId);
        }
        synchronized (store.lock) {
            for (String email : emails) {
                Store.Contact c = store.contactByEmail(email);
                if (c == null) {
                    throw new IllegalArgumentException("no contact " + email);
                }
                store.upsert(new Store.ContactInput(c.email(), Map.of(), null, null), List.of(listId), System.currentTimeMillis());
            }
        }
    }

    // ------------------------------------------------------------------ custom fields

    /**
     * Creates a custom field, with the same rules as {@code POST /v3/marketing/field_definitions}.
     *
     * @param name the field name
     * @param type the field type
     * @return the field, with its generated id
     * @throws IllegalArgumentException when SendGrid would refuse it
     */
    public CustomField addCustomField(String name, FieldType type) {
        try {
            Store.FieldDef def = store.createField(name, type);
            return new CustomField(def.id(), def.name(), def.type());
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * All custom fields, ordered by name.
     *
     * @return the fields
     */
    public List<CustomField> customFields() {
        return store.fields.values().stream().sorted(Comparator.comparing(Store.FieldDef::name))
                .map(d -> new CustomField(d.id(), d.name(), d.type())).toList();
    }

    /**
     * One custom field by name (case-insensitive) or id.
     *
     * @param nameOrId the field name or id
     * @return the field, or empty
     */
    public Optional<CustomField> customField(String nameOrId) {
        return Optional.ofNullable(store.fieldByNameOrId(nameOrId)).map(d -> new CustomField(d.id(), d.name(), d.type()));
    }

    /**
     * Deletes a custom field and its values from every contact, as {@code DELETE /v3/marketing/field_definitions/{id}}.
     *
     * @param nameOrId the field name (case-insensitive) or id
     * @throws IllegalArgumentException when there is no such field
     */
    public void deleteCustomField(String nameOrId) {
        Store.FieldDef def = store.fieldByNameOrId(nameOrId);
        if (def == null) {
            throw new IllegalArgumentException("no custom field " + nameOrId);
        }
        store.deleteField(def.id());
    }

    /**
     * A contact's custom field values by field <em>name</em>, as SendGrid's responses show them (numbers are
     * {@link Number}s, text and dates {@link String}s).
     *
     * @param email the contact's e-mail (any case)
     * @return the values, ordered by field name
     * @throws IllegalArgumentException when there is no such contact
     */
    public Map<String, Object> customFieldValues(String email) {
        Store.Contact c = store.contactByEmail(email);
        if (c == null) {
            throw new IllegalArgumentException("no contact " + email);
        }
        return java.util.Collections.unmodifiableMap(store.customByName(c));
    }

    /**
     * Makes {@code PUT /v3/marketing/contacts} answer 400 to every request in which a contact carries this
     * value, with one error naming that contact's field ({@code contacts[i].phone_number},
     * {@code contacts[i].custom_fields.e1_T}); nothing of the request is imported. It stands for SendGrid's
     * request-time checks that are not published (which addresses, phone numbers or values it accepts).
     * Cleared by {@link #reset()}.
     *
     * @param field a top-level contact field ({@code email}, {@code phone_number}, ...) or a custom field name or id
     * @param value the refused value, compared as text (e-mails ignoring case)
     * @param message SendGrid's error message
     */
    public void refuseContactValue(String field, String value, String message) {
        store.refusals.add(new Store.ValueRefusal(Objects.requireNonNull(field, "field"), Objects.requireNonNull(value, "value"),
                Objects.requireNonNull(message, "message")));
    }

    // ------------------------------------------------------------------ contacts

    /**
     * Inserts or updates one contact directly (no HTTP, no job, no delay).
     *
     * @param seed the contact
     * @return the stored contact
     * @throws IllegalArgumentException when the e-mail, a field or a list is invalid
     */
    public FakeContact seedContact(ContactSeed seed) {
        seedContacts(List.of(seed));
        return contact(seed.email()).orElseThrow();
    }

    /**
     * Inserts or updates many contacts directly; suitable for a million contacts.
     *
     * @param seeds the contacts
     * @return how many were stored
     * @throws IllegalArgumentException on the first invalid contact (earlier ones stay stored)
     */
    public int seedContacts(Iterable<ContactSeed> seeds) {
        int n = 0;
        long now = System.currentTimeMillis();
        synchronized (store.lock) {
            for (ContactSeed seed : seeds) {
                store.upsert(ContactParser.fromSeed(seed, store), checkLists(seed.listIds()), now);
                n++;
            }
        }
        return n;
    }

    private List<String> checkLists(Set<String> listIds) {
        for (String id : listIds) {
            if (!store.lists.containsKey(id)) {
                throw new IllegalArgumentException("no list " + id);
            }
        }
        return List.copyOf(listIds);
    }

    /**
     * A contact by e-mail (case-insensitive, trimmed).
     *
     * @param email the e-mail
     * @return the contact, or empty
     */
    public Optional<FakeContact> contact(String email) {
        return Optional.ofNullable(store.contactByEmail(email)).map(Snapshots::of);
    }

    /**
     * A contact by id.
     *
     * @param contactId the contact id
     * @return the contact, or empty
     */
    public Optional<FakeContact> contactById(String contactId) {
        return Optional.ofNullable(store.byId.get(contactId)).map(Snapshots::of);
    }

    /**
     * All contacts, ordered by e-mail.
     *
     * @return the contacts
     */
    public List<FakeContact> contacts() {
        return store.byId.values().stream().sorted(Comparator.comparing(Store.Contact::email)).map(Snapshots::of).toList();
    }

    /**
     * The number of contacts.
     *
     * @return the count
     */
    public int contactCount() {
        return store.byId.size();
    }

    // ------------------------------------------------------------------ segments

    /**
     * Seeds a segment whose members are the given existing contacts (the query is not evaluated).
     *
     * @param name the segment name
     * @param queryDsl the query text to report as {@code query_dsl}
     * @param memberEmails e-mails of existing contacts
     * @return the segment
     * @throws IllegalArgumentException when a contact does not exist
     */
    public Segment addSegment(String name, String queryDsl, Collection<String> memberEmails) {
        return addSegment(name, queryDsl, List.of(), memberEmails);
    }

    /**
     * Seeds a segment with parent lists.
     *
     * @param name the segment name
     * @param queryDsl the query text
     * @param parentListIds ids of existing lists
     * @param memberEmails e-mails of existing contacts
     * @return the segment
     * @throws IllegalArgumentException when a list or contact does not exist
     */
    public Segment addSegment(String name, String queryDsl, List<String> parentListIds, Collection<String> memberEmails) {
        checkLists(new LinkedHashSet<>(parentListIds));
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (String email : memberEmails) {
            Store.Contact c = store.contactByEmail(email);
            if (c == null) {
                throw new IllegalArgumentException("no contact " + email);
            }
            ids.add(c.id());
        }
        Store.SegmentRec s = new Store.SegmentRec(UUID.randomUUID().toString(), Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(queryDsl, "queryDsl"), List.copyOf(parentListIds), ids, System.currentTimeMillis());
        store.segments.put(s.id, s);
        return Snapshots.of(store, s);
    }

    /**
     * All segments, oldest first.
     *
     * @return segment snapshots
     */
    public List<Segment> segments() {
        return store.segments.values().stream().sorted(Comparator.comparingLong(s -> s.createdAt)).map(s -> Snapshots.of(store, s)).toList();
    }

    /**
     * Deletes a segment (its contacts stay).
     *
     * @param segmentId the segment id
     * @throws IllegalArgumentException when the segment does not exist
     */
    public void deleteSegment(String segmentId) {
        if (store.segments.remove(segmentId) == null) {
            throw new IllegalArgumentException("no segment " + segmentId);
        }
    }
}
