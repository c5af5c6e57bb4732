package dev.junction.fakesendgrid;

import dev.junction.fakevendor.FakeVendorServer;
import dev.junction.fakevendor.LoopbackServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An in-process fake of the SendGrid v3 Marketing Campaigns API (contacts, lists, custom fields, segments,
 * exports, scopes) for tests and benchmarks.
 *
 * <p>It serves HTTP on the loopback interface with the JDK's {@code HttpServer}, checks every request
 * against SendGrid's official OpenAPI documents, enforces SendGrid's documented limits, records every
 * request, and lets tests seed and inspect state and inject faults. All methods are thread-safe.
 *
 * <pre>{@code
 * try (FakeSendGrid fake = FakeSendGrid.start()) {
 *   String listId = fake.createList("newsletter").id();
 *   // point the connector at fake.baseUrl() with fake.defaultApiKey(), run it, then:
 *   fake.awaitJobs();
 *   assertTrue(fake.contact("user@example.com").isPresent());
 *   assertEquals(List.of(), fake.violations());
 * }
 * }</pre>
 */
public final class FakeSendGrid extends FakeVendorServer {
  /**
   * The scope names of the default key, as SendGrid's permission list names Marketing access:
   * {@code marketing.read}, {@code marketing_campaigns.create|read|update|delete} and
   * {@code marketing.automation.read}. Which of them an endpoint needs is the fake's guess (README G1):
   * endpoints check {@link Permission}s, which {@link #addApiKey(String, Collection)} derives from these names.
   */
  public static final Set<String> MARKETING_SCOPES = Set.of("marketing.read", "marketing.automation.read",
      "marketing_campaigns.create", "marketing_campaigns.read", "marketing_campaigns.update", "marketing_campaigns.delete");

  /** The default API key's value unless the builder sets another; 69 characters like real SendGrid keys. */
  public static final String DEFAULT_API_KEY = "SG.junction-fake-sendgrid.default-key-with-all-marketing-scopes-00000";

  /** How {@link #failNextImport(ImportFailure)} makes the next import job end. */
  public enum ImportFailure {
    /** The job ends {@code errored}: its first contact gets an error, the others are applied. */
    ERRORED,
    /** The job ends {@code failed}: every contact gets an error and nothing is applied. */
    FAILED
  }

  private static volatile SpecValidator sharedSpec;

  final ApiKeys keys;
  volatile ValidationMode validationMode;
  final int recordBodyLimit;
  final int maxRecordedRequests;
  private final Store store = new Store();
  private final Jobs jobs;
  private final Api api;
  private final Dispatcher dispatcher;

  private FakeSendGrid(Builder b) {
    super(LoopbackServer.bind(b.host, b.port, "fake-sendgrid-http"), b.defaultApiKey);
    this.validationMode = b.validation;
    this.recordBodyLimit = b.recordBodyLimit;
    this.maxRecordedRequests = b.maxRecordedRequests;
    this.keys = new ApiKeys(b.defaultApiKey);
    SpecValidator spec = spec();
    this.jobs = new Jobs(store, b.importDelay, b.exportDelay);
    this.api = new Api(store, jobs, baseUrl(), b.maxIdsPerDelete, keys);
    this.dispatcher = new Dispatcher(this, spec, api, jobs);
    server.serve(dispatcher);
  }

  private static SpecValidator spec() {
    SpecValidator s = sharedSpec;
    if (s == null) {
      synchronized (FakeSendGrid.class) {
        s = sharedSpec;
        if (s == null) {
          s = new SpecValidator();
          sharedSpec = s;
        }
      }
    }
    return s;
  }

  /**
   * Starts a fake with the defaults: an ephemeral port on 127.0.0.1, strict validation, 100 ms import delay.
   *
   * @return the running fake
   */
  public static FakeSendGrid start() {
    return builder().start();
  }

  /**
   * A builder for a fake with non-default settings.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ server (base URL, port, default key: FakeVendorServer)

  /** Stops the server, releases hung requests, stops jobs and deletes export files. */
  @Override
  public void close() {
    dispatcher.clearFaults();
    server.close();
    jobs.close();
  }

  /**
   * Forgets all state (contacts, lists, fields, segments, jobs, extra API keys), faults, rate limits,
   * recorded requests and violations; the default key stays. The server keeps running.
   */
  public void reset() {
    dispatcher.clearFaults();
    dispatcher.requestsPerSecond = 0;
    api.segments.pageSize = 0;
    jobs.reset();
    store.clear();
    keys.reset();
    dispatcher.resetRecording();
  }

  // ------------------------------------------------------------------ keys

  /**
   * Adds (or replaces) an API key with the given scopes and the access the fake derives from them
   * ({@link Permission#fromScopes}, a guess: README G1).
   *
   * @param key the key value clients send as {@code Authorization: Bearer <key>}
   * @param scopes its scopes, for example {@code Set.of("marketing.read")}
   */
  public void addApiKey(String key, Collection<String> scopes) {
    keys.put(key, scopes, Permission.fromScopes(scopes));
  }

  /**
   * Adds (or replaces) an API key whose access is set apart from its scope names: {@code GET /v3/scopes}
   * lists {@code scopes}, and the endpoints allow exactly {@code permissions}. For keys whose scope names
   * differ from the ones a client expects, or that carry the names without the access.
   *
   * @param key the key value clients send as {@code Authorization: Bearer <key>}
   * @param scopes the scope names {@code GET /v3/scopes} shows for it
   * @param permissions what it may do, for example {@code Permission.readAll()}
   */
  public void addApiKey(String key, Collection<String> scopes, Collection<Permission> permissions) {
    keys.put(key, scopes, permissions);
  }

  /**
   * Removes an API key; requests with it then get 401.
   *
   * @param key the key value
   */
  public void removeApiKey(String key) {
    keys.remove(key);
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
      return store.toPublic(store.createList(name));
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
    return store.listsInOrder().stream().map(store::toPublic).toList();
  }

  /**
   * One list.
   *
   * @param listId the list id
   * @return the list, or empty
   */
  public Optional<FakeList> list(String listId) {
    return Optional.ofNullable(store.lists.get(listId)).map(store::toPublic);
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
      return store.toPublic(store.renameList(listId, name));
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
        .sorted(Comparator.comparing(Store.Contact::email)).map(store::toPublic).toList();
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
        store.upsert(toInput(seed), checkLists(seed.listIds()), now);
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

  private Store.ContactInput toInput(ContactSeed seed) {
    String email = EmailAddresses.normalise(seed.email());
    String problem = EmailAddresses.problem(email);
    if (problem != null) {
      throw new IllegalArgumentException(problem + ": '" + seed.email() + "'");
    }
    Map<Store.Reserved, String> reserved = new java.util.EnumMap<>(Store.Reserved.class);
    Map<String, Object> custom = null;
    String[] alternates = null;
    for (var e : seed.fields().entrySet()) {
      Store.Reserved r = Store.Reserved.BY_WIRE.get(e.getKey());
      if (r != null) {
        reserved.put(r, String.valueOf(e.getValue()));
      } else if (e.getKey().equals("alternate_emails")) {
        @SuppressWarnings("unchecked")
        Collection<String> alt = (Collection<String>) e.getValue();
        alternates = alt.stream().map(EmailAddresses::normalise).toArray(String[]::new);
      } else {
        Store.FieldDef def = store.fieldByNameOrId(e.getKey());
        if (def == null) {
          throw new IllegalArgumentException("no reserved or custom field named " + e.getKey());
        }
        if (custom == null) {
          custom = new java.util.HashMap<>();
        }
        custom.put(def.id(), Store.coerce(def, Json.MAPPER.valueToTree(e.getValue())));
      }
    }
    return new Store.ContactInput(email, reserved, alternates, custom);
  }

  /**
   * A contact by e-mail (case-insensitive, trimmed).
   *
   * @param email the e-mail
   * @return the contact, or empty
   */
  public Optional<FakeContact> contact(String email) {
    return Optional.ofNullable(store.contactByEmail(email)).map(store::toPublic);
  }

  /**
   * A contact by id.
   *
   * @param contactId the contact id
   * @return the contact, or empty
   */
  public Optional<FakeContact> contactById(String contactId) {
    return Optional.ofNullable(store.byId.get(contactId)).map(store::toPublic);
  }

  /**
   * All contacts, ordered by e-mail.
   *
   * @return the contacts
   */
  public List<FakeContact> contacts() {
    return store.byId.values().stream().sorted(Comparator.comparing(Store.Contact::email)).map(store::toPublic).toList();
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
    return store.toPublic(s);
  }

  /**
   * All segments, oldest first.
   *
   * @return segment snapshots
   */
  public List<Segment> segments() {
    return store.segments.values().stream().sorted(Comparator.comparingLong(s -> s.createdAt)).map(store::toPublic).toList();
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

  /**
   * Pages {@code GET /v3/marketing/segments/2.0}: at most this many segments per answer, the rest behind
   * {@code _metadata.next} (a {@code page_token} link, as the lists use). SendGrid documents no paging for
   * segments; this lets a test check that a client follows {@code next} should it appear. {@link #reset()}
   * turns it off.
   *
   * @param pageSize segments per page, or 0 for all in one answer (the default)
   */
  public void segmentsPageSize(int pageSize) {
    if (pageSize < 0) {
      throw new IllegalArgumentException("pageSize must be >= 0");
    }
    api.segments.pageSize = pageSize;
  }

  // ------------------------------------------------------------------ jobs

  /**
   * Waits until every queued import, delete and export job has finished (at most 30 seconds).
   *
   * @throws IllegalStateException on timeout
   */
  public void awaitJobs() {
    awaitJobs(Duration.ofSeconds(30));
  }

  /**
   * Waits until every queued import, delete and export job has finished.
   *
   * @param timeout how long to wait
   * @throws IllegalStateException on timeout
   */
  public void awaitJobs(Duration timeout) {
    try {
      if (!jobs.awaitIdle(timeout)) {
        throw new IllegalStateException("jobs still running after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Makes the next contact upsert job (submitted after this call) end {@code errored} or {@code failed}.
   * Calls queue up: two calls affect the next two jobs.
   *
   * @param failure how the job should end
   */
  public void failNextImport(ImportFailure failure) {
    jobs.forceNextImport(Objects.requireNonNull(failure, "failure"));
  }

  /**
   * Makes the next contact export (requested after this call) end with status {@code failure} and this
   * {@code message} instead of writing files. Calls queue up.
   *
   * @param message the export's {@code message}
   */
  public void failNextExport(String message) {
    jobs.forceNextExportFailure(Objects.requireNonNull(message, "message"));
  }

  /**
   * Whether JSON export lines carry the contact's {@code list_ids} and {@code segment_ids} (when not empty).
   * Off by default: the JSON export lines SendGrid users have published carry neither (see README), and
   * SendGrid does not document the export's fields. {@link #reset()} turns it off.
   *
   * @param include true to write them
   */
  public void jsonExportListIds(boolean include) {
    jobs.jsonListIds = include;
  }

  // ------------------------------------------------------------------ faults and limits

  /**
   * Injects a fault for the next matching requests; see {@link Fault}.
   *
   * @param fault the fault
   */
  public void inject(Fault fault) {
    dispatcher.inject(Objects.requireNonNull(fault, "fault"));
  }

  /** Removes all injected faults and releases hung requests. */
  public void clearFaults() {
    dispatcher.clearFaults();
  }

  /**
   * Sets a steady rate limit: each API key may make this many requests per second to each operation
   * (method and path template); more get 429 with {@code X-RateLimit-*} headers. Every answered request then
   * carries the headers.
   *
   * @param requestsPerSecond the limit, or 0 to turn it off (the default)
   */
  public void rateLimitPerSecond(int requestsPerSecond) {
    if (requestsPerSecond < 0) {
      throw new IllegalArgumentException("requestsPerSecond must be >= 0");
    }
    dispatcher.requestsPerSecond = requestsPerSecond;
  }

  // ------------------------------------------------------------------ recording and validation

  /**
   * Every recorded request, oldest first (at most the builder's {@code maxRecordedRequests}, oldest dropped).
   *
   * @return the requests
   */
  public List<RecordedRequest> requests() {
    return dispatcher.requests();
  }

  /**
   * The recorded requests with this method and exactly this path (no query).
   *
   * @param method the HTTP method, any case
   * @param path the path, for example {@code /v3/marketing/contacts}
   * @return the requests, oldest first
   */
  public List<RecordedRequest> requests(String method, String path) {
    String m = method.toUpperCase(Locale.ROOT);
    return dispatcher.requests().stream().filter(r -> r.method().equals(m) && r.path().equals(path)).toList();
  }

  /** Forgets the recorded requests (not the violations). */
  public void clearRequests() {
    dispatcher.clearRequests();
  }

  /**
   * Every request that violated SendGrid's OpenAPI documents (unless validation is {@link ValidationMode#OFF}).
   *
   * @return the violations, oldest first
   */
  public List<SpecViolation> violations() {
    return dispatcher.violations();
  }

  /**
   * Throws when any request violated the OpenAPI documents.
   *
   * @throws AssertionError listing the violations
   */
  public void assertNoViolations() {
    List<SpecViolation> v = violations();
    if (!v.isEmpty()) {
      throw new AssertionError(v.size() + " request(s) violated SendGrid's OpenAPI spec:\n"
          + v.stream().map(SpecViolation::toString).collect(Collectors.joining("\n")));
    }
  }

  /**
   * The current validation mode.
   *
   * @return the mode
   */
  public ValidationMode validationMode() {
    return validationMode;
  }

  /**
   * Changes the validation mode for later requests.
   *
   * @param mode the mode
   */
  public void setValidationMode(ValidationMode mode) {
    this.validationMode = Objects.requireNonNull(mode, "mode");
  }

  /** Settings for {@link FakeSendGrid#builder()}; every setter returns the builder. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private ValidationMode validation = ValidationMode.STRICT;
    private Duration importDelay = Duration.ofMillis(100);
    private Duration exportDelay = Duration.ofMillis(200);
    private int maxIdsPerDelete = 100;
    private int recordBodyLimit = 8 * 1024 * 1024;
    private int maxRecordedRequests = 100_000;
    private String defaultApiKey = DEFAULT_API_KEY;

    private Builder() {}

    /**
     * The address to bind (default {@code 127.0.0.1}).
     *
     * @param host a host name or IP literal
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port (default 0: an ephemeral port).
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * The validation mode (default {@link ValidationMode#STRICT}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder validation(ValidationMode mode) {
      this.validation = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How long after being accepted an import, delete or list-removal job is applied (default 100 ms).
     *
     * @param delay the delay (zero allowed)
     * @return this builder
     */
    public Builder importDelay(Duration delay) {
      this.importDelay = nonNegative(delay);
      return this;
    }

    /**
     * How long after being requested an export starts being written (default 200 ms); it is {@code pending}
     * until written.
     *
     * @param delay the delay (zero allowed)
     * @return this builder
     */
    public Builder exportDelay(Duration delay) {
      this.exportDelay = nonNegative(delay);
      return this;
    }

    /**
     * The most ids accepted by {@code DELETE /v3/marketing/contacts?ids=} and
     * {@code DELETE /v3/marketing/lists/{id}/contacts?contact_ids=} (default 100; SendGrid documents no number,
     * see README).
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxIdsPerDelete(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("max must be at least 1");
      }
      this.maxIdsPerDelete = max;
      return this;
    }

    /**
     * How many bytes of each request body are recorded (default 8 MiB; 0 records none).
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder recordBodyLimit(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must be >= 0");
      }
      this.recordBodyLimit = bytes;
      return this;
    }

    /**
     * How many requests are kept (default 100,000; the oldest are dropped).
     *
     * @param count at least 1
     * @return this builder
     */
    public Builder maxRecordedRequests(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1");
      }
      this.maxRecordedRequests = count;
      return this;
    }

    /**
     * The value of the default API key (default {@link #DEFAULT_API_KEY}).
     *
     * @param key the key
     * @return this builder
     */
    public Builder defaultApiKey(String key) {
      this.defaultApiKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Starts the fake.
     *
     * @return the running fake
     * @throws UncheckedIOException when the port cannot be bound
     */
    public FakeSendGrid start() {
      return new FakeSendGrid(this);
    }

    private static Duration nonNegative(Duration d) {
      Objects.requireNonNull(d, "delay");
      if (d.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative");
      }
      return d;
    }
  }

  @Override
  public String toString() {
    return "FakeSendGrid[" + baseUrl() + ", " + validationMode + "]";
  }
}
