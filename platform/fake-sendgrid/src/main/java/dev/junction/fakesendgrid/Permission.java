package dev.junction.fakesendgrid;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One kind of access an API key may hold in the fake: an action on one Marketing resource. Every modeled
 * endpoint needs exactly one; a key without it gets SendGrid's 403 {@code access forbidden}.
 *
 * <p>SendGrid documents that a key's permissions ("scopes") limit which endpoints it can reach, but not
 * which scope each Marketing endpoint needs (README, guess G1). So the fake keeps the two apart: a key has
 * the scope names {@code GET /v3/scopes} shows and, separately, the permissions the endpoints check.
 * {@link #fromScopes} derives the latter from the former by the fake's guess; tests that need a key whose
 * access does not follow its scope names set both with
 * {@link FakeSendGrid#addApiKey(String, Collection, Collection)}.
 *
 * @param resource the Marketing resource
 * @param action what is done to it
 */
public record Permission(Resource resource, Action action) {

    /** The Marketing resources the fake models. */
    public enum Resource {
        /** {@code /v3/marketing/contacts*}: contacts, imports, searches, exports. */
        CONTACTS,
        /** {@code /v3/marketing/lists*}: lists and their memberships. */
        LISTS,
        /** {@code /v3/marketing/field_definitions*}. */
        CUSTOM_FIELDS,
        /** {@code /v3/marketing/segments*}. */
        SEGMENTS
    }

    /** What is done to a resource; the same four verbs SendGrid's scope names end in. */
    public enum Action { READ, CREATE, UPDATE, DELETE }

    public Permission {
        if (resource == null || action == null) {
            throw new IllegalArgumentException("resource and action are required");
        }
    }

    /**
     * The permissions for some actions on one resource.
     *
     * @param resource the resource
     * @param actions the actions
     * @return one permission per action
     */
    public static Set<Permission> of(Resource resource, Action... actions) {
        Set<Permission> out = new HashSet<>();
        Arrays.stream(actions).forEach(a -> out.add(new Permission(resource, a)));
        return Set.copyOf(out);
    }

    /**
     * Every permission on every Marketing resource: a key with full Marketing access.
     *
     * @return all permissions
     */
    public static Set<Permission> all() {
        Set<Permission> out = new HashSet<>();
        for (Resource r : Resource.values()) {
            for (Action a : Action.values()) {
                out.add(new Permission(r, a));
            }
        }
        return Set.copyOf(out);
    }

    /**
     * Read access to every Marketing resource.
     *
     * @return the four read permissions
     */
    public static Set<Permission> readAll() {
        Set<Permission> out = new HashSet<>();
        EnumSet.allOf(Resource.class).forEach(r -> out.add(new Permission(r, Action.READ)));
        return Set.copyOf(out);
    }

    /**
     * The fake's guess (README G1) of the access SendGrid grants for scope names: {@code marketing.read} or
     * {@code marketing_campaigns.read} reads every Marketing resource, {@code marketing_campaigns.create},
     * {@code .update} and {@code .delete} do that action on every Marketing resource; other scopes grant
     * nothing here.
     *
     * @param scopes scope names as {@code GET /v3/scopes} lists them
     * @return the permissions the fake derives from them
     */
    public static Set<Permission> fromScopes(Collection<String> scopes) {
        Set<Permission> out = new HashSet<>();
        for (String scope : scopes) {
            String s = scope.toLowerCase(Locale.ROOT);
            if (s.equals("marketing.read") || s.equals("marketing_campaigns.read")) {
                out.addAll(readAll());
            } else if (s.startsWith("marketing_campaigns.")) {
                String verb = s.substring("marketing_campaigns.".length());
                for (Action a : Action.values()) {
                    if (a != Action.READ && a.name().toLowerCase(Locale.ROOT).equals(verb)) {
                        EnumSet.allOf(Resource.class).forEach(r -> out.add(new Permission(r, a)));
                    }
                }
            }
        }
        return Set.copyOf(out);
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(Locale.ROOT) + " " + resource.name().toLowerCase(Locale.ROOT);
    }
}
