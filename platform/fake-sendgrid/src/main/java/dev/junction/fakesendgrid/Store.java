package dev.junction.fakesendgrid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake account's state. Reads are lock-free (concurrent maps of immutable records); every change
 * happens under {@link #lock}, so changes are serialised and each contact record is replaced whole.
 */
final class Store {
    /** SendGrid: an account can have at most 1,000 lists (see README). */
    static final int MAX_LISTS = 1000;
    /** The custom-fields spec: "You can have up to 500 custom fields." */
    static final int MAX_CUSTOM_FIELDS = 500;

    /** An immutable contact. Arrays are never mutated after construction. */
    record Contact(String id, String email, String[] reserved, String[] alternateEmails, Map<String, Object> custom,
            String[] listIds, long createdAt, long updatedAt) {
        String get(Reserved r) {
            return reserved == null ? null : reserved[r.ordinal()];
        }
    }

    static final class ListRec {
        final String id;
        volatile String name;
        final long createdAt;
        final long seq;
        final Set<String> members = ConcurrentHashMap.newKeySet();

        ListRec(String id, String name, long createdAt, long seq) {
            this.id = id;
            this.name = name;
            this.createdAt = createdAt;
            this.seq = seq;
        }
    }

    record FieldDef(String id, String name, FieldType type) {}

    static final class SegmentRec {
        final String id;
        final String name;
        final String queryDsl;
        final List<String> parentListIds;
        final Set<String> contactIds;
        final long createdAt;

        SegmentRec(String id, String name, String queryDsl, List<String> parentListIds, Set<String> contactIds, long createdAt) {
            this.id = id;
            this.name = name;
            this.queryDsl = queryDsl;
            this.parentListIds = parentListIds;
            this.contactIds = contactIds;
            this.createdAt = createdAt;
        }
    }

    /** What an upsert did. */
    enum Outcome { CREATED, UPDATED }

    /** One contact of an upsert, already checked. */
    record ContactInput(String email, Map<Reserved, String> reserved, String[] alternateEmails, Map<String, Object> custom) {}

    /**
     * A contact value refused when a PUT contacts request arrives ({@link FakeSendGrid#refuseContactValue}).
     *
     * @param field a top-level contact field, or a custom field name or id
     * @param value the refused value, as text
     * @param message the error message
     */
    record ValueRefusal(String field, String value, String message) {}

    final Object lock = new Object();
    final List<ValueRefusal> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ConcurrentHashMap<String, Contact> byEmail = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Contact> byId = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, ListRec> lists = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, FieldDef> fields = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, SegmentRec> segments = new ConcurrentHashMap<>();
    private final AtomicLong listSeq = new AtomicLong();
    private final AtomicLong fieldSeq = new AtomicLong();

    void clear() {
        synchronized (lock) {
            byEmail.clear();
            byId.clear();
            lists.clear();
            fields.clear();
            segments.clear();
            refusals.clear();
            listSeq.set(0);
            fieldSeq.set(0);
        }
    }

    /** A random (version 4) UUID string; ThreadLocalRandom is enough for a fake and much faster than SecureRandom. */
    static String newId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    // ---------------------------------------------------------------- lists

    ListRec createList(String name) {
        checkListName(name);
        synchronized (lock) {
            if (lists.size() >= MAX_LISTS) {
                throw ApiError.badRequest("name", "list limit reached: an account can have at most " + MAX_LISTS + " lists");
            }
            if (lists.values().stream().anyMatch(l -> l.name.equals(name))) {
                throw ApiError.badRequest("name", "a list named '" + name + "' already exists");
            }
            ListRec list = new ListRec(newId(), name, System.currentTimeMillis(), listSeq.incrementAndGet());
            lists.put(list.id, list);
            return list;
        }
    }

    static void checkListName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiError.badRequest("name", "name is required and must be at least 1 character");
        }
        if (name.length() > 100) {
            throw ApiError.badRequest("name", "name must be at most 100 characters");
        }
    }

    List<ListRec> listsInOrder() {
        List<ListRec> all = new ArrayList<>(lists.values());
        all.sort(Comparator.comparingLong(l -> l.seq));
        return all;
    }

    ListRec list(String id) {
        ListRec list = lists.get(id);
        if (list == null) {
            throw ApiError.notFound("list not found");
        }
        return list;
    }

    ListRec renameList(String id, String name) {
        checkListName(name);
        synchronized (lock) {
            ListRec list = list(id);
            if (lists.values().stream().anyMatch(l -> l != list && l.name.equals(name))) {
                throw ApiError.badRequest("name", "a list named '" + name + "' already exists");
            }
            list.name = name;
            return list;
        }
    }

    /** Deletes a list; returns the ids of its members at that moment. */
    List<String> deleteList(String id) {
        synchronized (lock) {
            ListRec list = list(id);
            List<String> memberIds = new ArrayList<>(list.members);
            for (String contactId : memberIds) {
                Contact c = byId.get(contactId);
                if (c != null) {
                    replace(c, withoutList(c.listIds(), id), c.updatedAt());
                }
            }
            lists.remove(id);
            return memberIds;
        }
    }

    /** Removes memberships only; returns how many were removed. */
    int removeFromList(String listId, Collection<String> contactIds) {
        synchronized (lock) {
            ListRec list = lists.get(listId);
            if (list == null) {
                return 0;
            }
            int removed = 0;
            long now = System.currentTimeMillis();
            for (String contactId : contactIds) {
                Contact c = byId.get(contactId);
                if (c != null && list.members.remove(contactId)) {
                    replace(c, withoutList(c.listIds(), listId), now);
                    removed++;
                }
            }
            return removed;
        }
    }

    private static String[] withoutList(String[] ids, String listId) {
        return Arrays.stream(ids).filter(x -> !x.equals(listId)).toArray(String[]::new);
    }

    private void replace(Contact c, String[] listIds, long updatedAt) {
        Contact n = new Contact(c.id(), c.email(), c.reserved(), c.alternateEmails(), c.custom(), listIds, c.createdAt(), updatedAt);
        byEmail.put(n.email(), n);
        byId.put(n.id(), n);
    }

    // ---------------------------------------------------------------- custom fields

    FieldDef createField(String name, FieldType type) {
        FieldValues.checkName(name);
        synchronized (lock) {
            if (fields.size() >= MAX_CUSTOM_FIELDS) {
                throw ApiError.badRequest("name", "custom field limit reached: at most " + MAX_CUSTOM_FIELDS + " custom fields");
            }
            checkFieldNameFree(name, null);
            FieldDef def = new FieldDef("e" + fieldSeq.incrementAndGet() + "_" + type.idSuffix(), name, type);
            fields.put(def.id(), def);
            return def;
        }
    }

    FieldDef renameField(String id, String name) {
        FieldValues.checkName(name);
        synchronized (lock) {
            FieldDef def = fields.get(id);
            if (def == null) {
                throw ApiError.notFound("custom field not found");
            }
            checkFieldNameFree(name, id);
            FieldDef renamed = new FieldDef(id, name, def.type());
            fields.put(id, renamed);
            return renamed;
        }
    }

    void deleteField(String id) {
        synchronized (lock) {
            if (fields.remove(id) == null) {
                throw ApiError.notFound("custom field not found");
            }
            for (Contact c : byId.values()) {
                if (c.custom() != null && c.custom().containsKey(id)) {
                    Map<String, Object> custom = new HashMap<>(c.custom());
                    custom.remove(id);
                    Contact n = new Contact(c.id(), c.email(), c.reserved(), c.alternateEmails(), custom.isEmpty() ? null : Map.copyOf(custom),
                            c.listIds(), c.createdAt(), c.updatedAt());
                    byEmail.put(n.email(), n);
                    byId.put(n.id(), n);
                }
            }
        }
    }

    private void checkFieldNameFree(String name, String exceptId) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (Reserved.NAMES.contains(lower)) {
            throw ApiError.badRequest("name", "'" + name + "' collides with a reserved field name");
        }
        for (FieldDef f : fields.values()) {
            if (!f.id().equals(exceptId) && f.name().toLowerCase(Locale.ROOT).equals(lower)) {
                throw ApiError.badRequest("name", "a custom field named '" + f.name() + "' already exists (names are case-insensitively unique)");
            }
        }
    }

    FieldDef fieldByNameOrId(String key) {
        FieldDef byId = fields.get(key);
        if (byId != null) {
            return byId;
        }
        for (FieldDef f : fields.values()) {
            if (f.name().equalsIgnoreCase(key)) {
                return f;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- contacts

    /** Inserts or updates one contact and adds it to the given (existing) lists. Caller holds no lock. */
    Outcome upsert(ContactInput in, Collection<String> listIds, long now) {
        synchronized (lock) {
            Contact old = byEmail.get(in.email());
            String[] reserved = old == null || old.reserved() == null ? new String[Reserved.values().length] : old.reserved().clone();
            boolean any = false;
            for (var e : in.reserved().entrySet()) {
                reserved[e.getKey().ordinal()] = e.getValue();
                any = true;
            }
            if (!any && old == null) {
                reserved = null;
            }
            Map<String, Object> custom = old == null ? null : old.custom();
            if (in.custom() != null && !in.custom().isEmpty()) {
                Map<String, Object> merged = custom == null ? new HashMap<>() : new HashMap<>(custom);
                merged.putAll(in.custom());
                custom = Map.copyOf(merged);
            }
            String[] alternates = in.alternateEmails() != null ? in.alternateEmails() : old == null ? null : old.alternateEmails();
            Set<String> lists = new LinkedHashSet<>();
            if (old != null) {
                lists.addAll(Arrays.asList(old.listIds()));
            }
            for (String listId : listIds) {
                if (this.lists.containsKey(listId)) {
                    lists.add(listId);
                }
            }
            String id = old == null ? newId() : old.id();
            Contact c = new Contact(id, in.email(), reserved, alternates, custom, lists.toArray(String[]::new),
                    old == null ? now : old.createdAt(), now);
            byEmail.put(c.email(), c);
            byId.put(c.id(), c);
            for (String listId : c.listIds()) {
                ListRec list = this.lists.get(listId);
                if (list != null) {
                    list.members.add(c.id());
                }
            }
            return old == null ? Outcome.CREATED : Outcome.UPDATED;
        }
    }

    /** Deletes contacts by id; returns how many existed. */
    int deleteContacts(Collection<String> ids) {
        synchronized (lock) {
            int deleted = 0;
            for (String id : ids) {
                Contact c = byId.remove(id);
                if (c != null) {
                    byEmail.remove(c.email());
                    for (String listId : c.listIds()) {
                        ListRec list = lists.get(listId);
                        if (list != null) {
                            list.members.remove(id);
                        }
                    }
                    deleted++;
                }
            }
            return deleted;
        }
    }

    int deleteAllContacts() {
        synchronized (lock) {
            int n = byId.size();
            byId.clear();
            byEmail.clear();
            for (ListRec l : lists.values()) {
                l.members.clear();
            }
            return n;
        }
    }

    Contact contactByEmail(String email) {
        return email == null ? null : byEmail.get(EmailAddresses.normalise(email));
    }

    List<String> segmentIdsOf(String contactId) {
        List<String> ids = new ArrayList<>();
        for (SegmentRec s : segments.values()) {
            if (s.contactIds.contains(contactId)) {
                ids.add(s.id);
            }
        }
        return ids;
    }

    long segmentCount(SegmentRec s) {
        return s.contactIds.stream().filter(byId::containsKey).count();
    }

    // ---------------------------------------------------------------- conversions (to the public types: Snapshots)

    /** Custom field values keyed by field name, as responses and exports show them. */
    Map<String, Object> customByName(Contact c) {
        if (c.custom() == null) {
            return Map.of();
        }
        Map<String, Object> out = new java.util.TreeMap<>();
        for (var e : c.custom().entrySet()) {
            FieldDef def = fields.get(e.getKey());
            if (def != null) {
                out.put(def.name(), e.getValue());
            }
        }
        return out;
    }
}
